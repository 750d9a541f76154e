package ovhapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/ovh/go-ovh/ovh"
)

const timePath = "/auth/time"

// SyncTime measures the clock skew (local − OVH) once, with GET /auth/time
// bounded by Options.TimeSyncTimeout and the ctx deadline, and returns it.
// Later calls return the measured value: go-ovh stores the delta once per
// client and signs every request with it. Signed calls sync on first use.
func (c *Client) SyncTime(ctx context.Context) (time.Duration, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.synced {
		return c.skew, nil
	}
	timeCall := call{method: http.MethodGet, path: timePath}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return 0, &Error{Kind: KindNetwork, Method: http.MethodGet, Path: timePath, Err: err}
		}
		// go-ovh's TimeDelta ignores contexts and uses api.Timeout: bound each
		// attempt by that, and once it has stored the delta it never calls
		// /auth/time again.
		c.api.Timeout = timeoutWithin(ctx, c.opts.TimeSyncTimeout)
		skew, err := c.api.TimeDelta()
		if err == nil {
			c.synced, c.skew = true, skew
			c.logf("GET %s → clock skew (local − OVH) %s", timePath, skew.Round(time.Second))
			return skew, nil
		}
		apiErr := c.timeSyncError(err)
		c.logf("GET %s → %s", timePath, apiErr)
		// A slow or failing /auth/time is as transient as any GET.
		if !Retryable(apiErr) || !c.attemptsLeft(attempt) || !c.pause(ctx, timeCall, attempt, apiErr) {
			return 0, apiErr
		}
	}
}

// timeoutWithin is limit, shortened to what is left of ctx's deadline.
func timeoutWithin(ctx context.Context, limit time.Duration) time.Duration {
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline); left < limit {
			return max(left, time.Millisecond)
		}
	}
	return limit
}

// timeSyncError converts what go-ovh's TimeDelta returns into an *Error.
func (c *Client) timeSyncError(err error) *Error {
	var ovhErr *ovh.APIError
	if errors.As(err, &ovhErr) {
		message := c.scrub(summarizeBody([]byte(ovhErr.Message)))
		return &Error{
			Kind:    classify(ovhErr.Code, ovhErr.Class, message, timePath),
			Status:  ovhErr.Code,
			Class:   ovhErr.Class,
			Message: message,
			QueryID: ovhErr.QueryID,
			Method:  http.MethodGet,
			Path:    timePath,
		}
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return &Error{Kind: KindNetwork, Method: http.MethodGet, Path: timePath, Err: urlErr.Err}
	}
	// A 200 whose body is not a bare integer.
	return &Error{Kind: KindUnknown, Method: http.MethodGet, Path: timePath, Message: err.Error()}
}
