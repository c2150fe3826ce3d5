// Command http-client fetches a URL the way a Go service's HTTP client does, and says how the host
// name in it resolved. It is the example program of go-dns-harness's `run --program`:
//
//	go-dns-harness run --program examples/http-client -- http://app.example.test/
//
// It exits 0 when the name resolved (whether or not the request that followed got an answer: in
// the harness's sandboxes nothing listens on the addresses the fake servers hand out), 1 when name
// resolution failed, and 2 on a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"time"
)

func main() {
	timeout := flag.Duration("timeout", 30*time.Second, "time limit for the whole request")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: http-client [-timeout 30s] URL")
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	u, err := url.Parse(flag.Arg(0))
	if err != nil || u.Hostname() == "" {
		fmt.Fprintf(os.Stderr, "http-client: %q is not a URL with a host name\n", flag.Arg(0))
		os.Exit(2)
	}
	host := u.Hostname()
	var resolved []string
	trace := &httptrace.ClientTrace{
		DNSDone: func(info httptrace.DNSDoneInfo) {
			for _, a := range info.Addrs {
				resolved = append(resolved, a.String())
			}
		},
	}
	ctx, cancel := context.WithTimeout(httptrace.WithClientTrace(context.Background(), trace), *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		fmt.Fprintf(os.Stderr, "http-client: %v\n", err)
		os.Exit(2)
	}
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	var dnsErr *net.DNSError
	switch {
	case err == nil:
		resp.Body.Close()
		fmt.Printf("resolved %s to %v; %s in %v\n", host, resolved, resp.Status, elapsed)
	case errors.As(err, &dnsErr):
		fmt.Fprintf(os.Stderr, "http-client: resolving %s failed after %v: %v\n", host, elapsed, dnsErr)
		os.Exit(1)
	case len(resolved) == 0:
		fmt.Fprintf(os.Stderr, "http-client: %s did not resolve after %v: %v\n", host, elapsed, err)
		os.Exit(1)
	default:
		fmt.Printf("resolved %s to %v; the request failed after %v: %v\n", host, resolved, elapsed, err)
	}
}
