package ovhsim

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestStartServesUntilClosed(t *testing.T) {
	s, err := Start("127.0.0.1:0", Config{})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(s.Endpoint() + "/auth/time")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("X-Ovh-QueryID") == "" {
		t.Fatalf("GET /auth/time: %d %v", resp.StatusCode, resp.Header)
	}
	s.Close()
	select {
	case err := <-s.Done():
		if !errors.Is(err, http.ErrServerClosed) {
			t.Fatalf("Done() = %v, want http.ErrServerClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not stop serving")
	}
}
