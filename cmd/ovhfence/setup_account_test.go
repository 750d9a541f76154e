package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/ovhsim"
)

// The sandbox wizard in service-account mode (issue 14), flags only: it
// creates a service account through a setup key, proves its grant, runs the
// live test as the account and writes an ovh.conf holding client_id and
// client_secret only, mode 0600, whose secret is printed and logged nowhere.
// The real agent then fences with that file alone.
func TestSandboxSetupWithAServiceAccount(t *testing.T) {
	var sim *ovhsim.WizardSandbox
	startWizardSandbox = func(n int) (*ovhsim.WizardSandbox, error) {
		var err error
		sim, err = ovhsim.StartWizardSandbox(n)
		return sim, err
	}
	t.Cleanup(func() { startWizardSandbox = ovhsim.StartWizardSandbox })
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	args := []string{"--sandbox", "--yes", "--credentials-kind", "service-account", "--target", "pcs", "--out", dir, "--fence-test", "node2"}
	if code := runSetup(args, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr.String())
	}
	conf := filepath.Join(dir, "ovh.conf")
	info, err := os.Stat(conf)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("ovh.conf: %v %v", info, err)
	}
	cfg, err := ovhapi.LoadConfigFile(conf, "")
	if err != nil || cfg.ClientID == "" || cfg.ClientSecret == "" || cfg.ApplicationKey != "" || cfg.ConsumerKey != "" {
		t.Fatalf("ovh.conf holds %s (%v)", cfg.Redacted(), err)
	}
	transcript, err := os.ReadFile(filepath.Join(dir, "ovhfence-setup.log"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"stdout": stdout.String(), "stderr": stderr.String(), "transcript": string(transcript)} {
		if strings.Contains(text, cfg.ClientSecret) {
			t.Errorf("the client secret is in the %s", name)
		}
	}
	for _, want := range []string{"POST /me/api/oauth2/client", "POST /v2/iam/policy", "node2 off (verified)"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("the run does not say %q:\n%s", want, stderr.String())
		}
	}
	var reqs []string
	for _, r := range sim.Sim.Requests() {
		reqs = append(reqs, r.Method+" "+r.Path)
	}
	log := strings.Join(reqs, "\n")
	logout, check, reboot := strings.Index(log, "POST /1.0/auth/logout"), strings.Index(log, "POST /v2/iam/authorization/check"), strings.Index(log, "/reboot")
	if logout < 0 || check < logout || reboot < check {
		t.Errorf("the grant was not proven before the first reboot, or the setup key not ended:\n%s", log)
	}

	// The sandbox ends with the wizard: serve the same simulator again at its
	// address, so the written ovh.conf (its endpoint) reaches it.
	ln, err := net.Listen("tcp", strings.TrimPrefix(sim.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: sim.Sim}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	sn := ovhsim.DefaultServers()[0].Name
	for _, step := range []struct{ action, want string }{{"off", "Success: Powered OFF\n"}, {"on", "Success: Powered ON\n"}} {
		res := runAgent(t, nil, "", "-o", step.action, "-n", sn, "--ovh-config", conf, "--stonith-status-sleep", "0.1", "--reboot-time", "0.5", "--fence-mode", "rescue")
		if res.code != 0 || res.stdout != step.want || strings.Contains(res.stderr, cfg.ClientSecret) {
			t.Fatalf("%s with the wizard's ovh.conf: code %d stdout %q stderr %q", step.action, res.code, res.stdout, res.stderr)
		}
	}
}
