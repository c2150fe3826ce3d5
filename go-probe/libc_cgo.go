//go:build cgo

package main

/*
// Any libc header brings features.h, which defines __GLIBC__ under glibc.
#include <stdlib.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
static const char *gdh_libc(void) { return gnu_get_libc_version(); }
#else
static const char *gdh_libc(void) { return ""; }
#endif
*/
import "C"

// runningLibc is the glibc version that is actually running this process (gnu_get_libc_version),
// which is the loaded libc.so.6, not the one the binary was linked against; "" under musl, which
// has no such call.
func runningLibc() string { return C.GoString(C.gdh_libc()) }
