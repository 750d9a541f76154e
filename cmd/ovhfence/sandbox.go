package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/ovhsim"
)

func init() {
	register("sandbox", "serve the simulated OVH API and print keys (or a service account) for it", runSandbox)
}

// runSandbox serves ovhsim with its seeded servers and prints, in env form, an
// endpoint and a validated fencing key for them (or a service account with a
// fencing policy), then serves until interrupted.
func runSandbox(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("sandbox", stderr, "Serves the simulated OVH API and prints, in environment form, its endpoint and a validated fencing key.")
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on (port 0: a free port); loopback only unless --allow-remote")
	allowRemote := fs.Bool("allow-remote", false, "allow a --listen address other hosts can reach: anyone there can mint keys at /_sim/token")
	rebootSeconds := fs.Float64("reboot-seconds", 5, "how long a simulated hard reboot task takes from init to done")
	seedServers := fs.Int("seed-servers", 0, "seed this many servers, to try a large account (default: four)")
	serviceAccount := fs.Bool("service-account", false, "print a service account (OVH_CLIENT_ID, OVH_CLIENT_SECRET) whose IAM policy allows fencing on every server, instead of keys")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if err := checkListen(*listen, *allowRemote); err != nil {
		fmt.Fprintf(stderr, "ovhfence sandbox: %v\n", err)
		return 2
	}
	if *rebootSeconds <= 0 {
		fmt.Fprintln(stderr, "ovhfence sandbox: --reboot-seconds must be positive")
		return 2
	}
	durations := rebootDurations(*rebootSeconds)
	// OVH's fair-use budget is on (POST /_sim/ratelimit {"perMinute":0} switches it off).
	cfg := ovhsim.Config{Durations: durations, PowerOffLag: ovhsim.SandboxPowerOffLag(durations), RateLimitPerMinute: ovhsim.DefaultRateLimitPerMinute}
	if *seedServers > 0 {
		cfg.Servers = ovhsim.SeedServers(*seedServers)
	}
	server, err := ovhsim.Start(*listen, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence sandbox: %v\n", err)
		return 1
	}
	defer server.Close()
	servers := cfg.Servers
	if servers == nil {
		servers = ovhsim.DefaultServers()
	}
	names := make([]string, len(servers))
	for i, s := range servers {
		names[i] = s.Name
	}
	base := server.URL
	fmt.Fprintf(stdout, "OVH_ENDPOINT=%s/1.0\n", base)
	if *serviceAccount {
		id, secret, identity := server.CreateServiceAccount("ovhfence sandbox")
		server.AddPolicy(ovhsim.FencingPolicy(identity, names...))
		fmt.Fprintf(stdout, "OVH_CLIENT_ID=%s\nOVH_CLIENT_SECRET=%s\n", id, secret)
	} else {
		ak, as, ck := server.CreateToken(ovhsim.FencingRules(names...))
		fmt.Fprintf(stdout, "OVH_APPLICATION_KEY=%s\nOVH_APPLICATION_SECRET=%s\nOVH_CONSUMER_KEY=%s\n", ak, as, ck)
	}
	fmt.Fprintf(stdout, "OVH_SERVERS=%s\n", strings.Join(names, ","))
	fmt.Fprintf(stderr, "ovhfence sandbox: simulated OVH API on %s/1.0, control surface on %s/_sim/ (Ctrl+C to stop)\n", base, base)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	select {
	case <-stop:
		return 0
	case err := <-server.Done():
		if errors.Is(err, http.ErrServerClosed) {
			return 0
		}
		fmt.Fprintf(stderr, "ovhfence sandbox: %v\n", err)
		return 1
	}
}

// rebootDurations spreads a reboot's total time over the task states like OVH does:
// short init and todo, most of it in doing.
func rebootDurations(seconds float64) ovhsim.Durations {
	total := time.Duration(seconds * float64(time.Second))
	return ovhsim.Durations{Init: total / 10, Todo: total / 10, Doing: total - 2*(total/10)}
}

// checkListen refuses an address other hosts can reach unless allowRemote:
// the simulator's control surface mints keys and edits servers without
// authentication. An empty host (":8080") listens on every interface.
func checkListen(addr string, allowRemote bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", addr, err)
	}
	if allowRemote || strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(strings.Trim(host, "[]")); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--listen %s is reachable from other hosts, and /_sim/token mints keys for anyone: "+
		"use a loopback address such as 127.0.0.1:8080, or add --allow-remote", addr)
}
