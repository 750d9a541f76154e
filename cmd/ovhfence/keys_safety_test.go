package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// A --write that cannot hold a key is refused before OVH is asked for one.
func TestKeysRequestRefusesBadTargetBeforeAnyRequest(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	pendingIsDir := filepath.Join(dir, "blocked.conf")
	if err := os.Mkdir(pendingIsDir+".pending", 0o700); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{dir, fifo, "-", "/dev/stdout", "/dev/null", filepath.Join(dir, "missing", "ovh.conf"), pendingIsDir} {
		t.Run(target, func(t *testing.T) {
			env := newKeysEnv(t, ignoreRequest)
			res := runInProcess(env.args("--server", env.servers[0], "--write", target)...)
			if res.code != 2 || !strings.Contains(res.stderr, "--write") {
				t.Errorf("exit %d, stderr %q; want exit 2 naming --write", res.code, res.stderr)
			}
			select {
			case <-env.requested:
				t.Error("a consumer key was requested for a file that cannot hold it")
			default:
			}
		})
	}
	if info, err := os.Lstat("/dev/null"); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a device: %v", err)
	}
}

// When the key cannot be stored, its validation URL is not shown: a key
// nobody can validate grants nothing, and none is lost.
func TestKeysRequestHidesURLWhenKeyCannotBeStored(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	env := newKeysEnv(t, ignoreRequest)
	env.sim.OnCredentialRequest(func(string) {
		// Between the check of the target and the store: the pending file turns into a FIFO.
		syscall.Mkfifo(conf+".pending", 0o600)
	})
	res := runInProcess(env.args("--server", env.servers[0], "--write", conf, "--wait", "--poll-interval", "20ms", "--timeout", "5s")...)
	if res.code != 1 || !strings.Contains(res.stderr, "validation URL is not shown") {
		t.Fatalf("exit %d; stderr:\n%s", res.code, res.stderr)
	}
	if strings.Contains(res.stdout, "http") {
		t.Errorf("the validation URL was shown:\n%s", res.stdout)
	}
}

// A validated key that cannot be installed is ended, never left valid and unknown.
func TestKeysRequestEndsKeyItCannotInstall(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	env := newKeysEnv(t, func(sim *ovhsim.Sim, ck string) {
		time.Sleep(50 * time.Millisecond)
		os.Mkdir(conf, 0o700) // the target turns into a directory before the swap
		sim.ValidateCredential(ck, nil)
	})
	res := runInProcess(env.args("--server", env.servers[0], "--write", conf, "--wait", "--poll-interval", "20ms", "--timeout", "5s")...)
	ck := env.lastKey(t)
	if res.code != 1 || !strings.Contains(res.stderr, "the key was ended") {
		t.Fatalf("exit %d; stderr:\n%s", res.code, res.stderr)
	}
	assertNoSecret(t, res, env.as, ck)
	if keyWorks(t, env, ck) {
		t.Error("the key still works after an install that failed")
	}
}

// A key validated for a limited time never replaces a working ovh.conf.
func TestKeysRequestKeepsWorkingConfForLimitedKey(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	if err := os.WriteFile(conf, []byte("[default]\nendpoint=ovh-eu\n# the working key\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	inAnHour := time.Now().Add(time.Hour)
	env := newKeysEnv(t, func(sim *ovhsim.Sim, ck string) { sim.ValidateCredential(ck, &inAnHour) })
	res := runInProcess(env.args("--server", env.servers[0], "--write", conf, "--wait", "--poll-interval", "20ms", "--timeout", "5s")...)
	if res.code != 1 || !strings.Contains(res.stderr, "stays in "+conf+".pending") {
		t.Fatalf("exit %d; stderr:\n%s", res.code, res.stderr)
	}
	if got, _ := os.ReadFile(conf); !strings.Contains(string(got), "the working key") {
		t.Errorf("the working ovh.conf was replaced:\n%s", got)
	}
	ck := env.lastKey(t)
	assertConfFile(t, conf+".pending", true, ovhapi.Config{Endpoint: env.endpoint, ApplicationKey: env.ak, ApplicationSecret: env.as, ConsumerKey: ck})
}

// keys activate installs a pending key once validated, and never overwrites a backup.
func TestKeysActivateKeepsEveryBackup(t *testing.T) {
	conf := filepath.Join(t.TempDir(), "ovh.conf")
	for path, content := range map[string]string{conf: "working", conf + ".bak": "first backup"} {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := newKeysEnv(t, ignoreRequest)
	res := runInProcess(env.args("--server", env.servers[0], "--write", conf)...)
	ck := env.lastKey(t)
	if res.code != 0 || !strings.Contains(res.stdout, "ovhfence keys activate --write "+conf+" --server "+env.servers[0]) {
		t.Fatalf("exit %d; stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	activate := []string{"keys", "activate", "--write", conf, "--server", env.servers[0]}
	if res := runInProcess(activate...); res.code != 1 || !strings.Contains(res.stderr, "not changed") {
		t.Fatalf("activating a pending key: exit %d; stderr:\n%s", res.code, res.stderr)
	}
	if err := env.sim.ValidateCredential(ck, nil); err != nil {
		t.Fatal(err)
	}
	res = runInProcess(activate...)
	if res.code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", res.code, res.stderr)
	}
	assertNoSecret(t, res, env.as, ck)
	assertConfFile(t, conf, true, ovhapi.Config{Endpoint: env.endpoint, ApplicationKey: env.ak, ApplicationSecret: env.as, ConsumerKey: ck})
	for path, want := range map[string]string{conf + ".bak": "first backup", conf + ".bak.1": "working"} {
		if got, _ := os.ReadFile(path); string(got) != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	if info, err := os.Stat(conf + ".bak.1"); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("the backup of a 0644 ovh.conf is not 0600: %v", err)
	}
	if _, err := os.Stat(conf + ".pending"); !os.IsNotExist(err) {
		t.Errorf("the pending file is still there after the install: %v", err)
	}
}

func keyWorks(t *testing.T, env *keysEnv, ck string) bool {
	t.Helper()
	client, err := ovhapi.New(ovhapi.Config{Endpoint: env.endpoint, ApplicationKey: env.ak, ApplicationSecret: env.as, ConsumerKey: ck}, ovhapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cred, err := client.CurrentCredential(context.Background())
	return err == nil && cred.Status == ovhapi.CredentialValidated
}
