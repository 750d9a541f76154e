package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// sandbox is a running `ovhfence sandbox` process and what it printed.
type sandbox struct {
	cmd     *exec.Cmd
	env     map[string]string // OVH_ENDPOINT, OVH_SERVERS, the keys
	control string            // base URL of the /_sim/ control surface
	config  string            // path of an ovh.conf holding the keys
}

// startSandbox starts `ovhfence sandbox`; seedServers > 0 seeds that many.
func startSandbox(ovhfence string, rebootSeconds float64, dir string, seedServers int) (*sandbox, error) {
	cmd := exec.Command(ovhfence, "sandbox", "--listen", "127.0.0.1:0", "--reboot-seconds", fmt.Sprint(rebootSeconds),
		"--seed-servers", fmt.Sprint(seedServers))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	sb := &sandbox{cmd: cmd, env: map[string]string{}}
	lines := bufio.NewScanner(stdout)
	for sb.env["OVH_SERVERS"] == "" && lines.Scan() {
		if key, value, ok := strings.Cut(lines.Text(), "="); ok {
			sb.env[key] = value
		}
	}
	if sb.env["OVH_SERVERS"] == "" {
		sb.stop()
		return nil, fmt.Errorf("ovhfence sandbox printed no OVH_SERVERS line")
	}
	endpoint := sb.env["OVH_ENDPOINT"]
	sb.control = strings.TrimSuffix(endpoint, "/1.0") + "/_sim/"
	sb.config = filepath.Join(dir, fmt.Sprintf("ovh-%d.conf", cmd.Process.Pid))
	conf := fmt.Sprintf("[default]\nendpoint=%s\n\n[%s]\napplication_key=%s\napplication_secret=%s\nconsumer_key=%s\n",
		endpoint, endpoint, sb.env["OVH_APPLICATION_KEY"], sb.env["OVH_APPLICATION_SECRET"], sb.env["OVH_CONSUMER_KEY"])
	if err := os.WriteFile(sb.config, []byte(conf), 0o600); err != nil {
		sb.stop()
		return nil, err
	}
	return sb, nil
}

func (sb *sandbox) stop() {
	sb.cmd.Process.Signal(syscall.SIGTERM)
	sb.cmd.Wait()
}

// apiCall is one entry of the simulator's request log.
type apiCall struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
}

func (sb *sandbox) clearRequests() error {
	req, err := http.NewRequest(http.MethodDelete, sb.control+"requests", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

func (sb *sandbox) requests() ([]apiCall, error) {
	resp, err := http.Get(sb.control + "requests")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var calls []apiCall
	return calls, json.NewDecoder(resp.Body).Decode(&calls)
}
