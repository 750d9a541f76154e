package render

import (
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// hostileWords are values a cluster file, a flag or the environment could
// carry into a script, a crm line or a command shown to paste.
var hostileWords = []string{
	"plain", "", " ", "a b", "it's", `"`, `\`, `\"`, "$(reboot)", "`reboot`", "${IFS}", "a;reboot", "a|b", "a&b",
	"a>b", "*", "~root", "#comment", "a\nplug=ns2", "x\tb", "'\\''", "https://eu.api.ovh.com/1.0 plug=ns2", "é\u202e",
}

func randomWords(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	words := make([]string, n)
	for i := range words {
		b := make([]byte, rng.IntN(12))
		for j := range b {
			b[j] = byte(1 + rng.IntN(126)) // a shell argument cannot hold NUL
		}
		words[i] = string(b)
	}
	return words
}

// Invariant: the shell reads back exactly the word ShellQuote wrote, whatever it is.
func TestShellQuoteRoundTripsThroughSh(t *testing.T) {
	words := append(hostileWords, randomWords(300)...)
	var script strings.Builder
	for _, w := range words {
		script.WriteString("printf '%s\\0' " + ShellQuote(w) + "\n")
	}
	out, err := exec.Command("sh", "-c", script.String()).Output()
	if err != nil {
		t.Fatalf("sh: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(got) != len(words) {
		t.Fatalf("sh read %d words, want %d", len(got), len(words))
	}
	for i, w := range words {
		if got[i] != w {
			t.Errorf("ShellQuote(%q) = %s reads back as %q", w, ShellQuote(w), got[i])
		}
	}
}

// Invariant: crmsh's tokenizer (Python's shlex, POSIX mode) reads every
// key=value as one word with the value unchanged: no second parameter.
func TestCrmQuoteRoundTripsThroughShlex(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 not found, and CI is set")
		}
		t.Skip("python3 (shlex, as crmsh uses it) is not installed")
	}
	words := append(hostileWords, randomWords(300)...)
	var lines strings.Builder
	for _, w := range words {
		lines.WriteString(joinParams([]param{{"plug", w}}, crmQuote) + "\x00")
	}
	cmd := exec.Command("python3", "-c", `import shlex,sys
for line in sys.stdin.read().split("\0")[:-1]:
    words = shlex.split(line)
    sys.stdout.write(("%d:" % len(words)) + (words[0] if words else "") + "\0")`)
	cmd.Stdin = strings.NewReader(lines.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	got := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	for i, w := range words {
		if want := "1:plug=" + w; got[i] != want {
			t.Errorf("crm line %s reads back as %q, want %q", joinParams([]param{{"plug", w}}, crmQuote), got[i], want)
		}
	}
}
