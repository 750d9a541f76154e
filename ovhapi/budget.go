package ovhapi

import (
	"context"
	"sync"
	"time"
)

// Budget paces signed calls under OVH's fair use: no more than about 60
// requests a minute per consumer key (reference/ovh-api.md §3.7). It counts
// per consumer key over a sliding minute and makes a call that would exceed
// the budget wait until the oldest counted call is a minute old. One Budget
// may be shared by every client of a process (Options.Budget); it knows
// nothing of other processes using the same key.
type Budget struct {
	perMinute int
	window    time.Duration // a minute; shorter in tests
	now       func() time.Time

	mu   sync.Mutex
	sent map[string][]time.Time // per consumer key, oldest first
}

// NewBudget allows perMinute signed calls per consumer key per minute.
func NewBudget(perMinute int) *Budget {
	return &Budget{perMinute: max(perMinute, 1), window: time.Minute, now: time.Now, sent: map[string][]time.Time{}}
}

// wait blocks until a call with ck fits the budget, then counts it.
func (b *Budget) wait(ctx context.Context, ck string) error {
	for {
		b.mu.Lock()
		now := b.now()
		recent := b.sent[ck]
		for len(recent) > 0 && now.Sub(recent[0]) >= b.window {
			recent = recent[1:]
		}
		if len(recent) < b.perMinute {
			b.sent[ck] = append(recent, now)
			b.mu.Unlock()
			return nil
		}
		b.sent[ck] = recent
		d := recent[0].Add(b.window).Sub(now)
		b.mu.Unlock()
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}
