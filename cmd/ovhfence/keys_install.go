package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/keys"
	"github.com/ovhfence/ovhfence/ovhapi"
)

// runKeysActivate installs a key left in FILE.pending by 'keys request'
// without --wait, once it is validated and passes the check.
func runKeysActivate(args []string, stdout, stderr io.Writer) int {
	var opts keysRequestOptions
	fs := newFlagSet("keys activate", stderr,
		"Installs the key 'ovhfence keys request' stored in FILE.pending into FILE (mode 0600, the old FILE kept as a\n"+
			"numbered backup), once the key is validated and, for a fencing key, has unlimited validity and passes 'ovhfence check'.")
	fs.StringVar(&opts.write, "write", "", "the ovh.conf given to 'keys request --write'")
	fs.Var(&opts.servers, "server", "OVH service name the key must fence (repeat it, or give a comma-separated list)")
	fs.BoolVar(&opts.discovery, "discovery", false, "the pending key is the read-only discovery key: only its validation is checked")
	fs.DurationVar(&opts.maxSkew, "max-skew", 30*time.Second, "largest accepted difference between the local clock and OVH's")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	switch {
	case opts.write == "":
		return usageError(stderr, "keys activate", errors.New("--write FILE is required"))
	case len(opts.servers) == 0 && !opts.discovery:
		return usageError(stderr, "keys activate", errors.New("--server is required, unless --discovery: the check needs the servers the key must fence"))
	}
	if err := checkKeyFiles(opts.write); err != nil {
		return usageError(stderr, "keys activate", err)
	}
	cfg, err := ovhapi.LoadConfigFile(pendingPath(opts.write), "")
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence keys activate: %v\n", err)
		return 1
	}
	client, err := ovhapi.New(cfg, ovhapi.Options{})
	if err != nil {
		fmt.Fprintf(stderr, "ovhfence keys activate: %v\n", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := installKey(ctx, client, opts, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "ovhfence keys activate: %v\n", err)
		return 1
	}
	return 0
}

// keyClient is what installing a key calls on OVH with that key.
type keyClient interface {
	keys.Checker
	Logout(ctx context.Context) error
}

// installKey swaps the pending key into opts.write, only once it works for
// what it is for: a fencing key validated with unlimited validity and passing
// the same check as 'ovhfence check'; a discovery key validated. Until then
// the working ovh.conf stays as it is. A validated key that cannot be
// installed is ended (POST /auth/logout), so no working key is left that
// nobody knows of.
func installKey(ctx context.Context, client keyClient, opts keysRequestOptions, stdout, stderr io.Writer) error {
	pending := pendingPath(opts.write)
	if err := readyToInstall(ctx, client, opts); err != nil {
		return fmt.Errorf("%w\nThe key stays in %s; %s is not changed", err, pending, opts.write)
	}
	data, err := os.ReadFile(pending)
	if err == nil {
		var written atomicfile.Written
		written, err = atomicfile.Write(opts.write, data, atomicfile.Options{Mode: ovhapi.ConfigFileMode, Backup: true})
		if err == nil {
			os.Remove(pending)
			fmt.Fprintf(stdout, "Installed the key in %s (mode 0600).\n", opts.write)
			if written.Backup != "" {
				fmt.Fprintf(stdout, "The previous %s is kept in %s.\n", opts.write, written.Backup)
			}
			return nil
		}
	}
	installErr := fmt.Errorf("installing the key in %s: %w", opts.write, err)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	if logoutErr := client.Logout(ctx); logoutErr != nil {
		return fmt.Errorf("%w; ending the key failed too (%v): it is valid and stored in %s, revoke it in the OVH control panel",
			installErr, ovhapi.WithHint(logoutErr), pending)
	}
	os.Remove(pending)
	return fmt.Errorf("%w; the key was ended (POST /auth/logout) so that it cannot be used by anyone: request a new one", installErr)
}

// readyToInstall is nil when the key may replace a working ovh.conf.
func readyToInstall(ctx context.Context, client keyClient, opts keysRequestOptions) error {
	if opts.discovery {
		cred, err := client.CurrentCredential(ctx)
		switch {
		case err != nil:
			return fmt.Errorf("the key is not usable: %w", ovhapi.WithHint(err))
		case cred.Status != ovhapi.CredentialValidated:
			return fmt.Errorf("the key is %s, not validated", cred.Status)
		}
		return nil
	}
	problems := keys.Check(ctx, client, opts.servers, opts.maxSkew).Problems()
	if len(problems) == 0 {
		return nil
	}
	return fmt.Errorf("the key is not installed, it fails the check:\n  %s", strings.Join(problems, "\n  "))
}
