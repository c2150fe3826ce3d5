// Command probe resolves names through Go's default resolver, exactly as an ordinary Go program
// does: net.DefaultResolver with no Dial or PreferGo override, so the build (cgo, tags), GODEBUG
// and the real /etc/resolv.conf, /etc/nsswitch.conf and /etc/hosts decide which path runs.
// It prints one JSON object describing the build and each lookup's outcome.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"
)

type goInfo struct {
	Version  string `json:"version"`
	GOOS     string `json:"goos"`
	GOARCH   string `json:"goarch"`
	Compiler string `json:"compiler"`
}

type buildInfo struct {
	// CgoEnabled is the CGO_ENABLED value the binary was built with, read back from its build
	// info ("" when the toolchain did not record it).
	CgoEnabled     string `json:"cgoEnabled"`
	Tags           string `json:"tags"`
	DefaultGODEBUG string `json:"defaultGODEBUG"`
	// Toolchain is the Go version that built the binary (the go.mod go line is not recorded;
	// its effect shows in DefaultGODEBUG).
	Toolchain string            `json:"toolchain"`
	Settings  map[string]string `json:"settings"`
	// Glibc is the version of the glibc that ran the probe ("" without cgo or under musl).
	Glibc string `json:"glibc,omitempty"`
}

type godebugInfo struct {
	Env       string `json:"env"`
	Default   string `json:"default"`
	Effective string `json:"effective"`
}

type lookupResult struct {
	Kind        string      `json:"kind"`
	Name        string      `json:"name"`
	OK          bool        `json:"ok"`
	Addrs       []string    `json:"addrs,omitempty"`
	Records     interface{} `json:"records,omitempty"`
	Error       string      `json:"error,omitempty"`
	ErrorType   string      `json:"errorType,omitempty"`
	IsNotFound  bool        `json:"isNotFound"`
	IsTimeout   bool        `json:"isTimeout"`
	IsTemporary bool        `json:"isTemporary"`
	DNSErr      *dnsErrInfo `json:"dnsError,omitempty"`
	ElapsedMs   float64     `json:"elapsedMs"`
}

type dnsErrInfo struct {
	Err    string `json:"err"`
	Name   string `json:"name"`
	Server string `json:"server"`
}

type output struct {
	Probe   int            `json:"probe"`
	Go      goInfo         `json:"go"`
	Build   buildInfo      `json:"build"`
	GODEBUG godebugInfo    `json:"godebug"`
	Timeout string         `json:"timeout"`
	Lookups []lookupResult `json:"lookups"`
}

var kinds = map[string]bool{"host": true, "ip4": true, "ip6": true, "addr": true, "cname": true, "mx": true, "srv": true, "txt": true, "ns": true}

func main() {
	timeout := flag.Duration("timeout", 10*time.Second, "time limit for each lookup")
	flag.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: probe [-timeout 10s] KIND NAME [KIND NAME ...]\nKIND: host ip4 ip6 addr cname mx srv txt ns\n")
	}
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 || len(args)%2 != 0 {
		flag.Usage()
		os.Exit(2)
	}
	for i := 0; i < len(args); i += 2 {
		if !kinds[args[i]] {
			fmt.Fprintf(os.Stderr, "probe: unknown lookup kind %q\n", args[i])
			flag.Usage()
			os.Exit(2)
		}
	}
	out := output{
		Probe:   1,
		Go:      goInfo{Version: runtime.Version(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Compiler: runtime.Compiler},
		Build:   readBuild(),
		Timeout: timeout.String(),
	}
	out.GODEBUG = godebugInfo{Env: os.Getenv("GODEBUG"), Default: out.Build.DefaultGODEBUG}
	out.GODEBUG.Effective = mergeGodebug(out.Build.DefaultGODEBUG, out.GODEBUG.Env)
	for i := 0; i < len(args); i += 2 {
		out.Lookups = append(out.Lookups, lookup(args[i], args[i+1], *timeout))
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "probe: %v\n", err)
		os.Exit(1)
	}
}

func readBuild() buildInfo {
	b := buildInfo{Settings: map[string]string{}, Glibc: runningLibc()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	b.Toolchain = info.GoVersion
	for _, s := range info.Settings {
		b.Settings[s.Key] = s.Value
		switch s.Key {
		case "CGO_ENABLED":
			b.CgoEnabled = s.Value
		case "-tags":
			b.Tags = s.Value
		case "DefaultGODEBUG":
			b.DefaultGODEBUG = s.Value
		}
	}
	return b
}

// mergeGodebug applies the environment's settings over the build's defaults, key by key, as the
// runtime does; the result is sorted so it reads the same every run.
func mergeGodebug(defaults, env string) string {
	m := map[string]string{}
	for _, src := range []string{defaults, env} {
		for _, kv := range strings.Split(src, ",") {
			kv = strings.TrimSpace(kv)
			if kv == "" {
				continue
			}
			k, v := kv, ""
			if i := strings.IndexByte(kv, '='); i >= 0 {
				k, v = kv[:i], kv[i+1:]
			}
			m[k] = v
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+m[k])
	}
	return strings.Join(parts, ",")
}

func lookup(kind, name string, timeout time.Duration) lookupResult {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	r := net.DefaultResolver
	res := lookupResult{Kind: kind, Name: name}
	start := time.Now()
	var err error
	switch kind {
	case "host":
		res.Addrs, err = r.LookupHost(ctx, name)
	case "ip4", "ip6":
		var ips []net.IP
		ips, err = r.LookupIP(ctx, kind, name)
		for _, ip := range ips {
			res.Addrs = append(res.Addrs, ip.String())
		}
	case "addr":
		var names []string
		names, err = r.LookupAddr(ctx, name)
		res.Records = names
	case "cname":
		var cname string
		cname, err = r.LookupCNAME(ctx, name)
		res.Records = cname
	case "mx":
		var mxs []*net.MX
		mxs, err = r.LookupMX(ctx, name)
		res.Records = mxs
	case "srv":
		var srvs []*net.SRV
		_, srvs, err = r.LookupSRV(ctx, "", "", name)
		res.Records = srvs
	case "txt":
		var txts []string
		txts, err = r.LookupTXT(ctx, name)
		res.Records = txts
	case "ns":
		var nss []*net.NS
		nss, err = r.LookupNS(ctx, name)
		res.Records = nss
	}
	res.ElapsedMs = float64(time.Since(start).Microseconds()) / 1000
	if err == nil {
		res.OK = true
		return res
	}
	res.Error = err.Error()
	res.ErrorType = fmt.Sprintf("%T", err)
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		res.IsNotFound = dnsErr.IsNotFound
		res.IsTimeout = dnsErr.IsTimeout
		res.IsTemporary = dnsErr.IsTemporary
		res.DNSErr = &dnsErrInfo{Err: dnsErr.Err, Name: dnsErr.Name, Server: dnsErr.Server}
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		res.IsTimeout = true
	}
	return res
}
