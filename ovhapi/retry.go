package ovhapi

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// maxRetryAfter caps how long a 429's Retry-After can make us wait.
const maxRetryAfter = 30 * time.Second

// retryDelay is the pause before retry number attempt (1-based): exponential
// from RetryBase, capped at RetryMax, with jitter so that cluster nodes
// fencing at the same time do not retry in lockstep. A longer Retry-After
// wins, up to maxRetryAfter.
func (c *Client) retryDelay(attempt int, retryAfter time.Duration) time.Duration {
	d := c.opts.RetryMax
	if attempt < 31 {
		if exp := c.opts.RetryBase << (attempt - 1); exp > 0 && exp < d {
			d = exp
		}
	}
	d = d/2 + rand.N(d/2+1)
	if retryAfter > d {
		d = min(retryAfter, maxRetryAfter)
	}
	return d
}

// pause waits before retrying cl. It returns false, without waiting, when the
// wait would outlast ctx: the caller then returns the last error at once.
func (c *Client) pause(ctx context.Context, cl call, attempt int, last *Error) bool {
	d := c.retryDelay(attempt, last.retryAfter)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return false
	}
	c.warnf("%s %s: %s, retry %d in %s", cl.method, cl.path, last, attempt, d.Round(time.Millisecond))
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(value string) time.Duration {
	if value == "" {
		return 0
	}
	if secs, err := strconv.Atoi(value); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	if at, err := http.ParseTime(value); err == nil {
		return max(time.Until(at), 0)
	}
	return 0
}
