package setup

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/atomicfile"
	"github.com/ovhfence/ovhfence/cluster"
	"github.com/ovhfence/ovhfence/ovhapi"
	"github.com/ovhfence/ovhfence/render"
	"github.com/ovhfence/ovhfence/wizard"
)

// TranscriptName is the redacted log of the run, written with the outputs.
const TranscriptName = "ovhfence-setup.log"

// File modes of the cluster file (no secret) and the transcript (redacted,
// but it names servers and URLs only root needs to see).
const (
	clusterFileMode fs.FileMode = 0o644
	transcriptMode  fs.FileMode = 0o600
)

// preview renders every output in memory; nothing is written yet.
func (r *Runner) preview(w wizard.EffectPreview) wizard.Result {
	c := *w.Cluster
	c.Credentials = r.credentialsPath(c.Target)
	files := []wizard.File{
		{Path: r.out(c.Name + ".cluster"), Content: cluster.Format(&c), Mode: clusterFileMode,
			Purpose: "the cluster file: nodes, servers, boot IDs; 'ovhfence render' reads it"},
		{Path: c.Credentials, Content: ovhapi.FormatConfigFile(w.Config), Mode: ovhapi.ConfigFileMode, Secret: true,
			Purpose: "the OVH keys, mode 0600, read by the agent through ovh_config"},
	}
	var next []string
	for _, target := range w.Targets {
		file, err := r.renderTarget(&c, target)
		if err != nil {
			return wizard.Previewed{Err: err}
		}
		files = append(files, file)
		next = append(next, render.NextStepsFor(c, target, file.Path))
	}
	return wizard.Previewed{Files: files, Next: withoutRepeatedBlocks(next), OutDir: r.opts.OutDir}
}

// withoutRepeatedBlocks joins the targets' next steps as lines, saying the
// blocks they share (copying the credentials, booting a fenced node back)
// once. A block is a line at the margin and the indented lines under it, so
// a numbered list is kept whole even when one of its items is shared.
func withoutRepeatedBlocks(texts []string) []string {
	var lines []string
	seen := map[string]bool{}
	for _, text := range texts {
		var block []string
		flush := func() {
			key := strings.Join(block, "\n")
			if len(block) > 0 && !seen[key] {
				seen[key] = true
				lines = append(lines, block...)
			}
			block = nil
		}
		for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
			if !strings.HasPrefix(line, " ") {
				flush()
			}
			block = append(block, line)
		}
		flush()
	}
	return lines
}

func (r *Runner) renderTarget(c *cluster.Cluster, target cluster.Target) (wizard.File, error) {
	switch target {
	case cluster.TargetPVE3:
		current, currentPath, err := r.currentClusterConf()
		if err != nil {
			return wizard.File{}, err
		}
		newPath := r.clusterConfNewPath(currentPath)
		pending, err := readIfExists(newPath)
		if err != nil {
			return wizard.File{}, err
		}
		merged, err := render.MergeClusterConf(c, current, pending)
		if err != nil {
			return wizard.File{}, err
		}
		file := wizard.File{Path: newPath, Content: merged.Data, Mode: render.ClusterConfMode,
			Purpose: "cluster.conf with the fence devices; review it, then activate it (Proxmox VE: Datacenter → HA → Activate)"}
		switch {
		case merged.IntoPending:
			file.Purpose += "; merged into the pending edits " + newPath + " already held, which are kept"
			file.Diff = render.ClusterConfDiff(newPath, merged.Base, merged.Data)
		case current != nil:
			file.Diff = render.ClusterConfDiff(currentPath, current, merged.Data)
		}
		for _, note := range merged.Quorum {
			file.Purpose += "; " + note
		}
		return file, nil
	case cluster.TargetPcs:
		script, err := render.PcsScript(c)
		return wizard.File{Path: r.out("fence-" + c.Name + "-pcs.sh"), Content: script, Mode: render.ScriptMode,
			Purpose: "pcs commands creating one fence_ovh device per node; run it on one node"}, err
	case cluster.TargetCrm:
		script, err := render.CrmScript(c)
		return wizard.File{Path: r.out("fence-" + c.Name + "-crm.txt"), Content: script, Mode: render.CrmFileMode,
			Purpose: "crm configure commands creating one fence_ovh device per node; load it on one node"}, err
	}
	return wizard.File{}, fmt.Errorf("unknown target %q", target)
}

// currentClusterConf is the cluster.conf to merge into, if there is one.
func (r *Runner) currentClusterConf() (data []byte, path string, err error) {
	path = r.opts.ClusterConf
	if path == "" && r.opts.Sandbox == nil {
		path = pve3ClusterConf
	}
	if path == "" {
		return nil, "", nil
	}
	data, err = os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && r.opts.ClusterConf == "" {
		return nil, "", nil
	}
	return data, path, err
}

// readIfExists reads path, or gives nil when there is no such file.
func readIfExists(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// clusterConfNewPath follows Proxmox VE 3's workflow: cluster.conf.new next to
// cluster.conf, activated from the GUI. The sandbox keeps everything in OutDir.
func (r *Runner) clusterConfNewPath(currentPath string) string {
	if currentPath == "" || r.opts.Sandbox != nil {
		return r.out(render.ClusterConfNewName)
	}
	return currentPath + ".new"
}

func (r *Runner) credentialsPath(target cluster.Target) string {
	if r.opts.CredentialsPath != "" {
		return r.opts.CredentialsPath
	}
	if r.opts.Sandbox != nil {
		return r.out("ovh.conf")
	}
	return cluster.DefaultCredentialsPath(target)
}

func (r *Runner) out(name string) string {
	path, err := filepath.Abs(filepath.Join(r.opts.OutDir, name))
	if err != nil {
		return filepath.Join(r.opts.OutDir, name)
	}
	return path
}

// write stores every file atomically (existing ones kept as .bak), then the
// transcript. A failure part-way leaves each file whole: old or new.
func (r *Runner) write(w wizard.EffectWrite) wizard.Result {
	if err := os.MkdirAll(r.opts.OutDir, 0o755); err != nil {
		return wizard.Wrote{Err: err}
	}
	var paths []string
	backups := map[string]string{}
	for _, f := range w.Files {
		written, err := atomicfile.Write(f.Path, f.Content, atomicfile.Options{Mode: f.Mode, Backup: true})
		if err != nil {
			return wizard.Wrote{Paths: paths, Err: err}
		}
		r.logf("wrote %s (%d bytes, mode %o)", f.Path, len(f.Content), f.Mode)
		if written.Backup != "" {
			backups[f.Path] = written.Backup
			r.logf("kept the previous %s in %s", f.Path, written.Backup)
		}
		paths = append(paths, f.Path)
	}
	r.endKey(w.EndKey)
	logPath := r.out(TranscriptName)
	r.mu.Lock()
	transcript := strings.Join(r.transcript, "\n") + "\n"
	r.mu.Unlock()
	if _, err := atomicfile.Write(logPath, []byte(transcript), atomicfile.Options{Mode: transcriptMode, Backup: true}); err != nil {
		return wizard.Wrote{Paths: paths, Err: err}
	}
	return wizard.Wrote{Paths: paths, Backups: backups, LogPath: logPath}
}

// endKey ends the read-only discovery key once the files are written. Failing to
// is not fatal: the key is read-only and the person chose a short validity; the
// transcript says so.
func (r *Runner) endKey(cfg ovhapi.Config) {
	if cfg.ConsumerKey == "" {
		return
	}
	client, err := r.client(cfg)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = client.Logout(ctx)
	}
	if err != nil {
		r.logf("could not end the read-only discovery key (%v); it expires at the end of the validity chosen for it", err)
		return
	}
	r.logf("ended the read-only discovery key: it is no longer needed")
}
