package ovhapi

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeConf(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ovh.conf")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigFile(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		endpoint string
		want     Config
	}{
		{
			name:    "default section picks the endpoint",
			content: "[default]\nendpoint=ovh-ca\n\n[ovh-eu]\napplication_key=eu-ak\napplication_secret=eu-as\n\n[ovh-ca]\napplication_key=ca-ak\napplication_secret=ca-as\nconsumer_key=ca-ck\n",
			want:    Config{Endpoint: "ovh-ca", ApplicationKey: "ca-ak", ApplicationSecret: "ca-as", ConsumerKey: "ca-ck"},
		},
		{
			name:     "argument overrides the default section",
			content:  "[default]\nendpoint=ovh-ca\n[ovh-eu]\napplication_key=eu-ak\napplication_secret=eu-as\n[ovh-ca]\napplication_key=ca-ak\napplication_secret=ca-as\n",
			endpoint: "ovh-eu",
			want:     Config{Endpoint: "ovh-eu", ApplicationKey: "eu-ak", ApplicationSecret: "eu-as"},
		},
		{
			name:    "no default section means ovh-eu",
			content: "[ovh-eu]\napplication_key=ak\napplication_secret=as\nconsumer_key=ck\n",
			want:    Config{Endpoint: "ovh-eu", ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck"},
		},
		{
			name:    "comments, spaces, colons, inline comments and quotes",
			content: "\ufeff; written by hand\n# another comment\n  [default]  ; trailing comment\n endpoint = ovh-eu # inline\n\n[ovh-eu]\r\napplication_key : ak ; inline\r\n\tapplication_secret = \"a;s#\"\r\nconsumer_key=`ck`\r\n",
			want:    Config{Endpoint: "ovh-eu", ApplicationKey: "ak", ApplicationSecret: "a;s#", ConsumerKey: "ck"},
		},
		{
			name:    "URL endpoint as section name",
			content: "[default]\nendpoint=http://127.0.0.1:8080/1.0\n[http://127.0.0.1:8080/1.0]\napplication_key=ak\napplication_secret=as\n",
			want:    Config{Endpoint: "http://127.0.0.1:8080/1.0", ApplicationKey: "ak", ApplicationSecret: "as"},
		},
		{
			name:     "legacy location finds the canonical section",
			content:  "[ovh-ca]\napplication_key=ak\napplication_secret=as\n",
			endpoint: "CA",
			want:     Config{Endpoint: "CA", ApplicationKey: "ak", ApplicationSecret: "as"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadConfigFile(writeConf(t, tt.content), tt.endpoint)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("LoadConfigFile() = %+v; want %+v", got, tt.want)
			}
		})
	}
}

func TestLoadConfigFileErrors(t *testing.T) {
	const secret = "s3cr3t-value-never-shown"
	tests := []struct {
		name     string
		content  string
		endpoint string
		wantErr  string
	}{
		{"line without separator", "[ovh-eu]\napplication_key=ak\n" + secret + "\n", "", "ovh.conf:3: expected key = value"},
		{"unclosed section header", "[ovh-eu\napplication_key=ak\n", "", "ovh.conf:1: section header is missing its closing ]"},
		{"empty section name", "; c\n[ ]\n", "", "ovh.conf:2: empty section name"},
		{"text after header", "[ovh-eu] " + secret + "\n", "", "ovh.conf:1: unexpected text after the section header"},
		{"key outside a section", "application_secret=" + secret + "\n", "", `ovh.conf:1: key "application_secret" is outside any section`},
		{"missing endpoint section", "[default]\nendpoint=ovh-ca\n[ovh-eu]\napplication_key=ak\napplication_secret=" + secret + "\n", "", "no [ovh-ca] section with the credentials (sections present: [default] [ovh-eu])"},
		{"missing secret", "\n[ovh-eu]\napplication_key=ak\nconsumer_key=" + secret + "\n", "", "ovh.conf:2: section [ovh-eu] has no application_secret"},
		{"missing application key", "[ovh-eu]\napplication_secret=" + secret + "\n", "", "ovh.conf:1: section [ovh-eu] has no application_key"},
		{"unknown endpoint", "[default]\nendpoint=mars\n", "", "unknown OVH endpoint \"mars\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConf(t, tt.content)
			_, err := LoadConfigFile(path, tt.endpoint)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("LoadConfigFile() error = %v; want it to contain %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the file", err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error %q reveals a secret", err)
			}
		})
	}
	if _, err := LoadConfigFile(filepath.Join(t.TempDir(), "absent.conf"), ""); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "readable by root") {
		t.Errorf("missing file: err = %v; want a not-exist error with the remedy", err)
	}
}

func TestFormatConfigFileRoundTrip(t *testing.T) {
	tests := []Config{
		{Endpoint: "ovh-eu", ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck"},
		{Endpoint: "kimsufi-ca", ApplicationKey: "ak", ApplicationSecret: "as"},
		{Endpoint: "http://127.0.0.1:8080/1.0", ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck"},
		{Endpoint: "ovh-eu", ApplicationKey: "ak", ApplicationSecret: "a;b#c\"d", ConsumerKey: " padded "},
		{Endpoint: "ovh-ca", ClientID: "5f8969a993ec8b4b", ClientSecret: "cs"},
		{Endpoint: "http://127.0.0.1:8081/1.0", ClientID: "id", ClientSecret: "s;#\"x"},
	}
	for _, cfg := range tests {
		t.Run(cfg.Endpoint, func(t *testing.T) {
			data := FormatConfigFile(cfg)
			if !strings.HasPrefix(string(data), ";") {
				t.Errorf("no comment header:\n%s", data)
			}
			got, err := LoadConfigFile(writeConf(t, string(data)), "")
			if err != nil {
				t.Fatalf("reading back:\n%s\nerror: %v", data, err)
			}
			if got != cfg {
				t.Fatalf("round trip = %+v; want %+v\nfile:\n%s", got, cfg, data)
			}
		})
	}
}

func TestFormatConfigFileDefaultsEndpoint(t *testing.T) {
	data := string(FormatConfigFile(Config{ApplicationKey: "ak", ApplicationSecret: "as"}))
	if !strings.Contains(data, "[default]\nendpoint=ovh-eu\n") || !strings.Contains(data, "[ovh-eu]\n") {
		t.Fatalf("empty endpoint not written as ovh-eu:\n%s", data)
	}
}

func TestRedacted(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Endpoint: "ovh-ca", ApplicationKey: "ak1", ApplicationSecret: testAS, ConsumerKey: testCK},
			"endpoint=ovh-ca AK=ak1 AS set CK=…" + testCK[len(testCK)-4:]},
		{Config{ApplicationKey: "ak1"}, "endpoint=ovh-eu AK=ak1 AS missing CK=(none)"},
		{Config{ApplicationSecret: "x", ConsumerKey: "short"}, "endpoint=ovh-eu AK=(none) AS set CK=set"},
	}
	for _, tt := range tests {
		got := tt.cfg.Redacted()
		if got != tt.want {
			t.Errorf("Redacted() = %q; want %q", got, tt.want)
		}
		if strings.Contains(got, testAS) || strings.Contains(got, testCK) {
			t.Errorf("Redacted() = %q reveals a secret", got)
		}
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Setenv(EnvEndpoint, "ovh-us")
	t.Setenv(EnvApplicationKey, "ak")
	t.Setenv(EnvApplicationSecret, "as")
	t.Setenv(EnvConsumerKey, "ck")
	want := Config{Endpoint: "ovh-us", ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck"}
	if got := ConfigFromEnv(); got != want {
		t.Fatalf("ConfigFromEnv() = %+v; want %+v", got, want)
	}
}

// A config mixing keys and a service account is written whole, and refused
// when read back: nothing is silently dropped.
func TestFormatConfigFileKeepsAMixAndLoadRefusesIt(t *testing.T) {
	cfg := Config{Endpoint: "ovh-eu", ApplicationKey: "ak", ApplicationSecret: "as", ConsumerKey: "ck", ClientID: "id", ClientSecret: "cs"}
	data := string(FormatConfigFile(cfg))
	for _, line := range []string{"application_key=ak", "consumer_key=ck", "client_id=id", "client_secret=cs"} {
		if !strings.Contains(data, line+"\n") {
			t.Errorf("no %q in:\n%s", line, data)
		}
	}
	_, err := LoadConfigFile(writeConf(t, data), "")
	if err == nil || !strings.Contains(err.Error(), "remove application_key, application_secret, consumer_key to use the service account") ||
		strings.Contains(err.Error(), "=cs") {
		t.Fatalf("LoadConfigFile() error %v", err)
	}
}
