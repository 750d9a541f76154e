// Package fakeclock is a clock for tests that moves only when someone sleeps
// on it: shared by a simulator (ovhsim.Config.Now) and a fencing.Fencer, it
// makes minutes of OVH reboots pass at once and measurable exactly.
package fakeclock

import (
	"context"
	"sync"
	"time"
)

// Clock is a fencing.Clock whose time is advanced by Sleep alone.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// New returns a clock that starts at start.
func New(start time.Time) *Clock { return &Clock{now: start} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock d forward at once, unless ctx has ended.
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return nil
}
