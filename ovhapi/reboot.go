package ovhapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// Reboot hard-reboots the server and returns its hardReboot task. It never
// sends a second POST while a hardReboot task may be pending (DESIGN.md D6):
//   - 400 TaskAlreadyExists for a hardReboot: that task is followed
//     (followed=true) instead of failing;
//   - 5xx or a network error: the reboot may have been accepted, so a pending
//     hardReboot task is looked up and followed; the POST is sent again only
//     when the lookup proves there is none;
//   - a 2xx that is not a hardReboot task (`null`, `{}`, another function):
//     the reboot may have been accepted, so as for a 5xx;
//   - 429: the call was refused before it ran, so it is sent again.
func (c *Client) Reboot(ctx context.Context, sn string) (task Task, followed bool, err error) {
	path, err := serverPath(sn, "reboot")
	if err != nil {
		return Task{}, false, err
	}
	// A failed time sync or token request sends nothing: fail before the
	// loop, which would otherwise take it for a POST that may have run.
	if err := c.Login(ctx); err != nil {
		return Task{}, false, err
	}
	post := call{method: http.MethodPost, path: path, signed: true}
	for attempt := 1; ; attempt++ {
		task = Task{}
		postErr := c.do(ctx, post, &task)
		if KindOf(postErr) == KindBadAnswer || postErr == nil && (task.ID == 0 || task.Function != FunctionHardReboot) {
			postErr = badAnswer(post, http.StatusOK, "", fmt.Sprintf(
				"OVH answered the reboot request without a hardReboot task (task %d, function %q): whether it was accepted is unknown", task.ID, task.Function))
		}
		if postErr == nil {
			return task, false, nil
		}
		var apiErr *Error
		if !errors.As(postErr, &apiErr) {
			return Task{}, false, postErr
		}
		switch apiErr.Kind {
		case KindTaskAlreadyExists:
			return c.followRunningReboot(ctx, sn, apiErr)
		case KindServer, KindNetwork, KindBadAnswer:
			pending, found, lookupErr := c.pendingHardReboot(ctx, sn)
			if KindOf(lookupErr) == KindNotGranted {
				// The hint must name the missing rule, not blame OVH for the 5xx.
				return Task{}, false, fmt.Errorf("the reboot request failed (%v) and the key may not list the server's tasks to see whether it was accepted, so it is not sent again: %w", apiErr, lookupErr)
			}
			if lookupErr != nil {
				return Task{}, false, fmt.Errorf("%w; not sending the reboot again: could not check for a pending reboot task: %v", apiErr, lookupErr)
			}
			if found {
				c.logf("POST %s failed (%s) but hardReboot task %d is pending: following it", path, apiErr.Kind, pending.ID)
				return pending, true, nil
			}
		case KindRateLimited:
			// Refused before it ran: sending it again is safe.
		default:
			return Task{}, false, apiErr
		}
		if !c.attemptsLeft(attempt) || !c.pause(ctx, post, attempt, apiErr) {
			return Task{}, false, apiErr
		}
	}
}

// followRunningReboot handles a TaskAlreadyExists answer: the running task is
// named in the message (else looked up); if it is a hardReboot, follow it.
func (c *Client) followRunningReboot(ctx context.Context, sn string, already *Error) (Task, bool, error) {
	running, named := runningTaskFromMessage(already.Message)
	if !named {
		pending, found, err := c.pendingHardReboot(ctx, sn)
		if err != nil {
			return Task{}, false, fmt.Errorf("%w; could not find the running task: %v", already, err)
		}
		if !found {
			return Task{}, false, already
		}
		return pending, true, nil
	}
	if running.Function != FunctionHardReboot {
		return Task{}, false, already // another kind of task (a reinstall) blocks the reboot
	}
	c.logf("hardReboot task %d is already running on %s: following it", running.ID, sn)
	task, err := c.GetTask(ctx, sn, running.ID)
	if err != nil {
		// The message named the task; the caller's polling will read it.
		c.logf("reading task %d: %s", running.ID, err)
		return running, true, nil
	}
	return task, true, nil
}

// pendingHardReboot finds the server's pending hardReboot task. OVH runs one
// hardReboot at a time, so only the newest can be pending.
func (c *Client) pendingHardReboot(ctx context.Context, sn string) (Task, bool, error) {
	ids, err := c.ListTasks(ctx, sn, FunctionHardReboot, "")
	if err != nil || len(ids) == 0 {
		return Task{}, false, err
	}
	newest := slices.Max(ids)
	task, err := c.GetTask(ctx, sn, newest)
	if KindOf(err) == KindNotFound {
		// Listed but not yet readable: OVH answers 404 for a while after
		// creating a task (reference/ovh-api.md §3.5). It may be pending.
		c.logf("hardReboot task %d is listed but answers 404: taking it for a pending one", newest)
		return Task{ID: newest, Function: FunctionHardReboot, Status: TaskInit}, true, nil
	}
	if err != nil {
		return Task{}, false, err
	}
	return task, task.Pending(), nil
}
