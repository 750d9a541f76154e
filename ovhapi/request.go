package ovhapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// maxResponseBytes bounds what a response body may make us read.
const maxResponseBytes = 4 << 20

// call is one API request and its retry policy.
type call struct {
	method string
	path   string // relative to the endpoint, with the query string
	body   any    // nil = no body
	signed bool
	retry  func(*Error) bool // nil = send once (not idempotent)
	// check says what is wrong with a decoded answer ("" = nothing): an answer
	// about another object than the one asked for is KindBadAnswer.
	check func() string
}

// idempotent is the retry policy of GETs and of PUTs that set a value.
func idempotent(e *Error) bool { return Retryable(e) }

func get(path string) call {
	return call{method: http.MethodGet, path: path, signed: true, retry: idempotent}
}

// do sends cl, retrying per its policy within Options.MaxAttempts and the
// ctx deadline, and decodes a 2xx JSON body into out (when out is non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	renewed := false
	for attempt := 1; ; attempt++ {
		err := c.send(ctx, cl, out)
		// A refused bearer token (expired early, revoked) is renewed once: the
		// 401 means OVH did nothing, so even a POST may be sent again.
		if c.tokens != nil && cl.signed && !renewed && KindOf(err) == KindAuthRequired {
			renewed = true
			attempt--
			continue
		}
		var apiErr *Error
		if err == nil || !errors.As(err, &apiErr) || cl.retry == nil || !cl.retry(apiErr) ||
			!c.attemptsLeft(attempt) {
			return err
		}
		if !c.pause(ctx, cl, attempt, apiErr) {
			return err
		}
	}
}

// send makes one HTTP request. go-ovh builds and signs it; we send it so that
// ctx, our timeout and the response headers (Retry-After) are ours.
func (c *Client) send(ctx context.Context, cl call, out any) error {
	bearer := ""
	if cl.signed && c.tokens != nil {
		token, err := c.accessToken(ctx)
		if err != nil {
			return err
		}
		if c.opts.Budget != nil {
			if err := c.opts.Budget.wait(ctx, c.cfg.ClientID); err != nil {
				return c.networkError(cl, err)
			}
		}
		bearer = token
	} else if cl.signed {
		if c.cfg.ConsumerKey == "" {
			return errNoConsumerKey
		}
		if _, err := c.SyncTime(ctx); err != nil {
			return err
		}
		if c.opts.Budget != nil {
			if err := c.opts.Budget.wait(ctx, c.cfg.ConsumerKey); err != nil {
				return c.networkError(cl, err)
			}
		}
	}
	c.mu.Lock()
	req, err := c.api.NewRequest(cl.method, cl.path, cl.body, cl.signed)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	if bearer != "" {
		// go-ovh built the request without credentials (no AppKey, no
		// ClientID): the bearer token is the whole authentication (reference §1.5).
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		return c.networkError(cl, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		c.logf("%s %s → %d redirect to %q refused", cl.method, cl.path, resp.StatusCode, resp.Header.Get("Location"))
		return &Error{Kind: KindUnknown, Status: resp.StatusCode, QueryID: resp.Header.Get("X-Ovh-QueryID"), Method: cl.method, Path: cl.path,
			Message: "redirect to " + orNone(resp.Header.Get("Location")) + " refused: OVH calls never follow redirects"}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return c.networkError(cl, err)
	}
	queryID := resp.Header.Get("X-Ovh-QueryID")
	c.logf("%s %s → %d (query id %s)", cl.method, cl.path, resp.StatusCode, orNone(queryID))
	if resp.StatusCode == http.StatusUnauthorized && bearer != "" {
		c.forgetToken(bearer)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := responseError(cl.method, cl.path, resp.StatusCode, resp.Header, body)
		apiErr.Message = c.scrub(apiErr.Message)
		apiErr.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
		return apiErr
	}
	if out == nil {
		return nil
	}
	// A call that reads something must get it: an empty or null body is no
	// server, no task and no list, never "nothing there".
	if trimmed := strings.TrimSpace(string(body)); trimmed == "" || trimmed == "null" {
		return badAnswer(cl, resp.StatusCode, queryID, "OVH answered "+orNone(trimmed)+", not the expected object")
	}
	if err := json.Unmarshal(body, out); err != nil {
		return badAnswer(cl, resp.StatusCode, queryID, "unexpected response body: "+err.Error())
	}
	if cl.check != nil {
		if wrong := cl.check(); wrong != "" {
			return badAnswer(cl, resp.StatusCode, queryID, wrong)
		}
	}
	return nil
}

// badAnswer is a 2xx whose body is not what the call reads.
func badAnswer(cl call, status int, queryID, message string) *Error {
	return &Error{Kind: KindBadAnswer, Status: status, QueryID: queryID, Method: cl.method, Path: cl.path, Message: message}
}

func (c *Client) networkError(cl call, err error) *Error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // the URL is already in Method and Path
	}
	c.logf("%s %s → %s: %v", cl.method, cl.path, KindNetwork, err)
	return &Error{Kind: KindNetwork, Method: cl.method, Path: cl.path, Err: err}
}
