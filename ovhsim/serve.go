package ovhsim

import (
	"net"
	"net/http"
	"time"
)

// Server is a simulator served over HTTP, as `ovhfence sandbox` and the wizard's
// --sandbox run it.
type Server struct {
	*Sim
	URL  string // http://HOST:PORT, without /1.0
	http *http.Server
	done chan error
}

// Start serves a new simulator on addr ("127.0.0.1:0" for a free port).
func Start(addr string, cfg Config) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Sim: New(cfg), URL: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	s.http = &http.Server{Handler: s.Sim, ReadHeaderTimeout: 10 * time.Second}
	go func() { s.done <- s.http.Serve(ln) }()
	return s, nil
}

// Endpoint is the API base the OVH clients use.
func (s *Server) Endpoint() string { return s.URL + "/1.0" }

// Done delivers the error that ended serving; http.ErrServerClosed after Close.
func (s *Server) Done() <-chan error { return s.done }

// Close stops serving.
func (s *Server) Close() error { return s.http.Close() }
