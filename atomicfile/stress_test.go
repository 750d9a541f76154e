package atomicfile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The test binary plays a child process when this variable names a role.
const childRole = "ATOMICFILE_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(childRole) {
	case "writer":
		writeForever(os.Getenv("ATOMICFILE_TEST_PATH"))
	case "fullfs", "readonlyfs":
		os.Exit(refusedWrite(os.Getenv("ATOMICFILE_TEST_PATH")))
	}
	os.Exit(m.Run())
}

// Two contents large enough that a write takes several system calls.
var contentA, contentB = bytes.Repeat([]byte("A"), 256<<10), bytes.Repeat([]byte("B"), 256<<10)

func writeForever(path string) {
	for i := 0; ; i++ {
		data := contentA
		if i%2 == 1 {
			data = contentB
		}
		if _, err := Write(path, data, Options{Mode: 0o600}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}

// Rule 1: however often a writer is killed -9, the file is one whole content.
func TestKill9LeavesAWholeFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cluster.conf.new")
	if _, err := Write(path, contentA, Options{Mode: 0o600}); err != nil {
		t.Fatal(err)
	}
	for i := range 30 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), childRole+"=writer", "ATOMICFILE_TEST_PATH="+path)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(5+rand.IntN(40)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("kill %d: %v", i, err)
		}
		if !bytes.Equal(got, contentA) && !bytes.Equal(got, contentB) {
			t.Fatalf("kill %d: torn file of %d bytes", i, len(got))
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != filepath.Base(path) && !isOwnTemp(e.Name()) {
			t.Errorf("left behind something that is not a recognisable temporary file: %s", e.Name())
		}
	}
}

// Rules 1 and 5: two writers at once each replace the file whole, and each
// keeps its own backup: none is overwritten.
func TestTwoWritersAtOnce(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ovh.conf")
	writePlain(t, path, "initial", 0o600)
	const perWriter = 40
	var wg sync.WaitGroup
	errs := make(chan error, 2*perWriter)
	for _, data := range [][]byte{contentA, contentB} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWriter {
				if _, err := Write(path, data, Options{Mode: 0o600, Backup: true}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, _ := os.ReadFile(path)
	if !bytes.Equal(got, contentA) && !bytes.Equal(got, contentB) {
		t.Fatalf("torn file of %d bytes", len(got))
	}
	backups := 0
	sawInitial := false
	for n := 0; ; n++ {
		b, err := os.ReadFile(BackupName(path, n))
		if err != nil {
			break
		}
		backups++
		switch {
		case string(b) == "initial":
			sawInitial = true
		case !bytes.Equal(b, contentA) && !bytes.Equal(b, contentB):
			t.Errorf("backup %d is torn (%d bytes)", n, len(b))
		}
	}
	if backups != 2*perWriter || !sawInitial {
		t.Errorf("%d backups (the initial content among them: %v), want %d: one per write, none overwritten",
			backups, sawInitial, 2*perWriter)
	}
}

// Rule 1 on a full file system and on a read-only one: the write fails, the old
// file is intact, and no temporary file is left. Each runs in a child process
// inside its own mount namespace (unshare -m) on a 64 KiB tmpfs.
func TestFullFileSystem(t *testing.T) {
	runInTmpfs(t, "fullfs", "")
}

func TestReadOnlyFileSystem(t *testing.T) {
	runInTmpfs(t, "readonlyfs", "mount -o remount,ro \"$D\" && ")
}

func runInTmpfs(t *testing.T, role, afterSetup string) {
	if _, err := exec.LookPath("unshare"); err != nil || os.Getuid() != 0 {
		skipOutsideCI(t, "mounting a tmpfs needs root and unshare(1)")
	}
	mnt := t.TempDir()
	script := `set -e; D=$1; mount -t tmpfs -o size=64k tmpfs "$D"; printf old > "$D/cluster.conf"; ` +
		afterSetup + `shift; exec "$@"`
	cmd := exec.Command("unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", mnt, os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childRole+"="+role, "ATOMICFILE_TEST_PATH="+filepath.Join(mnt, "cluster.conf"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", role, err, out)
	}
	if !strings.Contains(string(out), "refused as it should: ") {
		t.Fatalf("%s: %s", role, out)
	}
	t.Logf("%s", out)
}

// refusedWrite is the child's side: a write too large for the tmpfs (or any
// write on a read-only one) must fail and leave "old" and nothing else.
func refusedWrite(path string) int {
	_, err := Write(path, bytes.Repeat([]byte("x"), 256<<10), Options{Mode: 0o640, Backup: true})
	if err == nil {
		fmt.Println("the write succeeded")
		return 1
	}
	got, readErr := os.ReadFile(path)
	if string(got) != "old" || readErr != nil {
		fmt.Printf("the old file is now %q (%v)\n", got, readErr)
		return 1
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		fmt.Printf("left behind: %v\n", entries)
		return 1
	}
	fmt.Println("refused as it should:", err)
	return 0
}

func skipOutsideCI(t *testing.T, reason string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(reason)
	}
	t.Skip(reason)
}
