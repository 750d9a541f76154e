package ovhschema

import "testing"

func TestOperationMatchesTemplates(t *testing.T) {
	s, err := Load("testdata/ovh-api.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path, want string }{
		{"GET", "/dedicated/server/ns1.ip-1-2-3.eu", "/dedicated/server/{serviceName}"},
		{"GET", "/dedicated/server/availabilities", "/dedicated/server/availabilities"}, // a literal wins
		{"POST", "/dedicated/server/ns1/reboot", "/dedicated/server/{serviceName}/reboot"},
		{"GET", "/dedicated/server/ns1/boot/230242", "/dedicated/server/{serviceName}/boot/{bootId}"},
		{"GET", "/auth/time", "/auth/time"},
		{"DELETE", "/me/api/credential/5", "/me/api/credential/{credentialId}"},
		{"POST", "/dedicated/server/ns1/power", ""}, // no such path (reference §3.6)
		{"DELETE", "/dedicated/server/ns1", ""},     // no such method
		{"GET", "/dedicated/server//boot", ""},
	} {
		op, ok := s.Operation(c.method, c.path)
		if ok != (c.want != "") || op.Path != c.want {
			t.Errorf("%s %s: got %q, %v; want %q", c.method, c.path, op.Path, ok, c.want)
		}
	}
}

func TestSourcesAreRecorded(t *testing.T) {
	s, err := Load("testdata/ovh-api.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Sources) != 3 {
		t.Fatalf("sources: %+v", s.Sources)
	}
	for _, src := range s.Sources {
		if len(src.SHA256) != 64 || src.File == "" {
			t.Errorf("source %+v", src)
		}
	}
}
