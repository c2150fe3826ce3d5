//go:build !cgo

package main

// runningLibc: without cgo no C library is loaded.
func runningLibc() string { return "" }
