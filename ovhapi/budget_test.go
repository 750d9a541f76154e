package ovhapi

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// Invariant, over generated bursts of concurrent calls on two keys: no window
// of the budget's length ever holds more than its calls for one key, and
// every call gets through.
func TestBudgetNeverExceedsItsWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 1))
	for round := 0; round < 5; round++ {
		per := 1 + rng.IntN(6)
		b := NewBudget(per)
		b.window = 40 * time.Millisecond
		var mu sync.Mutex
		at := map[string][]time.Time{}
		var wg sync.WaitGroup
		for i := 0; i < 3*per+rng.IntN(10); i++ {
			ck := []string{"ck1", "ck2"}[rng.IntN(2)]
			delay := time.Duration(rng.IntN(30)) * time.Millisecond
			wg.Add(1)
			go func() {
				defer wg.Done()
				time.Sleep(delay)
				if err := b.wait(context.Background(), ck); err != nil {
					t.Error(err)
				}
				mu.Lock()
				at[ck] = append(at[ck], time.Now())
				mu.Unlock()
			}()
		}
		wg.Wait()
		for ck, times := range at {
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			for i := per; i < len(times); i++ {
				// A little slack: the call is recorded after wait returned.
				if gap := times[i].Sub(times[i-per]); gap < b.window-5*time.Millisecond {
					t.Fatalf("%s: %d calls within %s (budget %d per %s)", ck, per+1, gap, per, b.window)
				}
			}
		}
	}
}

// A cancelled wait returns at once with the context's error.
func TestBudgetWaitEndsWithItsContext(t *testing.T) {
	b := NewBudget(1)
	if err := b.wait(context.Background(), "ck"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := b.wait(ctx, "ck"); err == nil || time.Since(start) > time.Second {
		t.Fatalf("wait over budget = %v after %s, want the context's error at once", err, time.Since(start))
	}
}
