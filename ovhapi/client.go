package ovhapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ovh/go-ovh/ovh"
)

// Options tune a Client; zero values pick the defaults noted per field.
type Options struct {
	RequestTimeout  time.Duration // per HTTP request; 0 → 30s
	TimeSyncTimeout time.Duration // bound on GET /auth/time; 0 → 5s
	// MaxAttempts bounds the tries of one idempotent call; 0 → 4, negative →
	// until the ctx deadline (the fence agent's rule: power_timeout, or under
	// Pacemaker until Pacemaker ends it).
	MaxAttempts int
	RetryBase   time.Duration // first retry delay; 0 → 500ms
	RetryMax    time.Duration // cap on retry delays; 0 → 4s
	// Logf receives one line per API call. It never receives a secret.
	Logf func(format string, args ...any)
	// Warnf receives one line per retry; nil → Logf. It never receives a secret.
	Warnf     func(format string, args ...any)
	UserAgent string // appended to go-ovh's User-Agent; "" → "ovhfence"
	// Budget, when set, paces the signed calls under OVH's fair use.
	Budget *Budget
}

func (o Options) withDefaults() Options {
	if o.RequestTimeout <= 0 {
		o.RequestTimeout = 30 * time.Second
	}
	if o.TimeSyncTimeout <= 0 {
		o.TimeSyncTimeout = 5 * time.Second
	}
	if o.MaxAttempts == 0 {
		o.MaxAttempts = 4
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 500 * time.Millisecond
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 4 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = "ovhfence"
	}
	return o
}

// Client calls the OVH API through go-ovh: go-ovh signs the requests, Client
// sends them with a context, classifies errors and retries (DESIGN.md D6).
// It is safe for concurrent use.
type Client struct {
	cfg  Config
	opts Options
	http *http.Client // sends every request except go-ovh's own /auth/time

	// mu guards api, synced and skew: go-ovh's NewRequest writes
	// api.Client.Timeout, and its first TimeDelta stores the delta.
	mu     *sync.Mutex
	api    *ovh.Client
	synced bool
	skew   time.Duration

	tokens *tokens // a service account's bearer tokens; nil with application keys
}

// New builds a client for cfg: application keys, or a service account. It
// reads no environment variable and no file (go-ovh's NewClient would). The
// consumer key may be empty until RequestConsumerKey has produced one.
func New(cfg Config, opts Options) (*Client, error) {
	base, err := ResolveEndpoint(orDefaultEndpoint(cfg.Endpoint))
	if err != nil {
		return nil, err
	}
	if err := cfg.CheckAuthMethod(); err != nil {
		return nil, err
	}
	var account *tokens
	if cfg.ServiceAccount() {
		tokenURL, err := TokenURL(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		account = &tokens{url: tokenURL, clientID: cfg.ClientID, clientSecret: cfg.ClientSecret}
	} else if cfg.ApplicationKey == "" || cfg.ApplicationSecret == "" {
		return nil, fmt.Errorf("both the application key and the application secret are required (%s)", cfg.Redacted())
	}
	opts = opts.withDefaults()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	api := &ovh.Client{
		AppKey:      cfg.ApplicationKey,
		AppSecret:   cfg.ApplicationSecret,
		ConsumerKey: cfg.ConsumerKey,
		Client:      &http.Client{Transport: transport, CheckRedirect: refuseRedirect},
		Timeout:     opts.TimeSyncTimeout,
		UserAgent:   opts.UserAgent,
	}
	if err := api.SetEndpoint(base); err != nil {
		return nil, err
	}
	return &Client{
		cfg:    cfg,
		opts:   opts,
		http:   &http.Client{Transport: transport, Timeout: opts.RequestTimeout, CheckRedirect: refuseRedirect},
		mu:     &sync.Mutex{},
		api:    api,
		tokens: account,
	}, nil
}

// ServiceAccount reports whether c authenticates as a service account.
func (c *Client) ServiceAccount() bool { return c.tokens != nil }

// Endpoint is the API base URL, e.g. https://eu.api.ovh.com/1.0.
func (c *Client) Endpoint() string { return c.api.Endpoint() }

// WithConsumerKey returns a client that signs with ck, sharing this client's
// options, connections and measured clock skew.
func (c *Client) WithConsumerKey(ck string) *Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	api := *c.api // the copy keeps go-ovh's stored time delta
	api.ConsumerKey = ck
	api.Client = &http.Client{Transport: c.api.Client.Transport, CheckRedirect: refuseRedirect}
	cfg := c.cfg
	cfg.ConsumerKey = ck
	return &Client{
		cfg:    cfg,
		opts:   c.opts,
		http:   c.http,
		mu:     &sync.Mutex{},
		api:    &api,
		synced: c.synced,
		skew:   c.skew,
	}
}

// logf sends one line to Options.Logf with the secrets scrubbed, in case an
// API message ever echoes one.
func (c *Client) logf(format string, args ...any) {
	if c.opts.Logf != nil {
		c.opts.Logf("%s", c.scrub(fmt.Sprintf(format, args...)))
	}
}

// warnf reports a retry: the agent logs it as a warning.
func (c *Client) warnf(format string, args ...any) {
	if c.opts.Warnf == nil {
		c.logf(format, args...)
		return
	}
	c.opts.Warnf("%s", c.scrub(fmt.Sprintf(format, args...)))
}

// refuseRedirect keeps every OVH call on its endpoint: a redirect would carry the
// consumer key and a valid signature elsewhere, and its answer is not OVH's. The
// 3xx itself is returned and becomes an error.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// attemptsLeft reports whether try number attempt may be followed by another.
func (c *Client) attemptsLeft(attempt int) bool {
	return c.opts.MaxAttempts < 0 || attempt < c.opts.MaxAttempts
}

const redacted = "[redacted]"

// scrub removes the application secret and consumer key from s.
func (c *Client) scrub(s string) string {
	secrets := []string{c.cfg.ApplicationSecret, c.cfg.ConsumerKey, c.cfg.ClientSecret}
	if c.tokens != nil {
		secrets = append(secrets, c.tokens.currentToken())
	}
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted)
		}
	}
	return s
}

// errNoConsumerKey is returned by signed calls on a client without a CK.
var errNoConsumerKey = errors.New("no consumer key configured: request one with `ovhfence keys request`")
