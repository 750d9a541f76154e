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
}

// idempotent is the retry policy of GETs and of PUTs that set a value.
func idempotent(e *Error) bool { return Retryable(e) }

func get(path string) call {
	return call{method: http.MethodGet, path: path, signed: true, retry: idempotent}
}

// do sends cl, retrying per its policy within Options.MaxAttempts and the
// ctx deadline, and decodes a 2xx JSON body into out (when out is non-nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	for attempt := 1; ; attempt++ {
		err := c.send(ctx, cl, out)
		var apiErr *Error
		if err == nil || !errors.As(err, &apiErr) || cl.retry == nil || !cl.retry(apiErr) ||
			attempt >= c.opts.MaxAttempts {
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
	if cl.signed {
		if c.cfg.ConsumerKey == "" {
			return errNoConsumerKey
		}
		if _, err := c.SyncTime(ctx); err != nil {
			return err
		}
	}
	c.mu.Lock()
	req, err := c.api.NewRequest(cl.method, cl.path, cl.body, cl.signed)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		return c.networkError(cl, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return c.networkError(cl, err)
	}
	queryID := resp.Header.Get("X-Ovh-QueryID")
	c.logf("%s %s → %d (query id %s)", cl.method, cl.path, resp.StatusCode, orNone(queryID))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := responseError(cl.method, cl.path, resp.StatusCode, resp.Header, body)
		apiErr.Message = c.scrub(apiErr.Message)
		apiErr.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"))
		return apiErr
	}
	if out == nil || len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &Error{Kind: KindUnknown, Status: resp.StatusCode, QueryID: queryID, Method: cl.method, Path: cl.path,
			Message: "unexpected response body: " + err.Error()}
	}
	return nil
}

func (c *Client) networkError(cl call, err error) *Error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // the URL is already in Method and Path
	}
	c.logf("%s %s → %s: %v", cl.method, cl.path, KindNetwork, err)
	return &Error{Kind: KindNetwork, Method: cl.method, Path: cl.path, Err: err}
}
