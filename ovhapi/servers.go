package ovhapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

const serversPath = "/dedicated/server"

// serverPath is /dedicated/server/{sn}[/part…].
func serverPath(sn string, parts ...string) (string, error) {
	if strings.TrimSpace(sn) == "" {
		return "", errors.New("empty server service name")
	}
	return strings.Join(append([]string{serversPath, url.PathEscape(sn)}, parts...), "/"), nil
}

// SplitServerPath splits an API or rule path "/dedicated/server/{sn}{sub}" into
// the service name and the rest ("" or "/reboot", "/task/*"…); ok is false for
// other paths and for a name that starts with a wildcard.
func SplitServerPath(path string) (sn, sub string, ok bool) {
	rest, found := strings.CutPrefix(path, serversPath+"/")
	if !found || rest == "" || strings.HasPrefix(rest, "*") {
		return "", "", false
	}
	sn, sub, hasSub := strings.Cut(rest, "/")
	if hasSub {
		sub = "/" + sub
	}
	return sn, sub, true
}

// withQuery appends the non-empty parameters to path.
func withQuery(path string, params map[string]string) string {
	q := url.Values{}
	for k, v := range params {
		if v != "" {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// ListServers returns the service names of the account's dedicated servers.
func (c *Client) ListServers(ctx context.Context) ([]string, error) {
	var names []string
	err := c.do(ctx, get(serversPath), &names)
	return names, err
}

// GetServer returns GET /dedicated/server/{sn}.
func (c *Client) GetServer(ctx context.Context, sn string) (Server, error) {
	var srv Server
	path, err := serverPath(sn)
	if err != nil {
		return srv, err
	}
	cl := get(path)
	cl.check = func() string {
		if srv.Name != sn {
			return fmt.Sprintf("the answer describes server %q, not %q", srv.Name, sn)
		}
		return ""
	}
	if err = c.do(ctx, cl, &srv); err != nil {
		return Server{}, err
	}
	return srv, nil
}

// ListBoots returns the server's netboot IDs of bootType ("" = all types).
func (c *Client) ListBoots(ctx context.Context, sn, bootType string) ([]int64, error) {
	var ids []int64
	path, err := serverPath(sn, "boot")
	if err != nil {
		return nil, err
	}
	err = c.do(ctx, get(withQuery(path, map[string]string{"bootType": bootType})), &ids)
	return ids, err
}

// GetBoot returns one netboot of the server.
func (c *Client) GetBoot(ctx context.Context, sn string, id int64) (Boot, error) {
	var boot Boot
	path, err := serverPath(sn, "boot", strconv.FormatInt(id, 10))
	if err != nil {
		return boot, err
	}
	err = c.do(ctx, get(path), &boot)
	return boot, err
}

// setBootBody sends only the fields that change (reference/ovh-api.md §3.2).
type setBootBody struct {
	BootID     int64  `json:"bootId"`
	RescueMail string `json:"rescueMail,omitempty"`
}

// SetBoot selects the netboot the server uses at its next reboot. Setting the
// same value twice is harmless, so it is retried like a GET.
func (c *Client) SetBoot(ctx context.Context, sn string, bootID int64, rescueMail string) error {
	path, err := serverPath(sn)
	if err != nil {
		return err
	}
	body := setBootBody{BootID: bootID, RescueMail: rescueMail}
	return c.do(ctx, call{method: http.MethodPut, path: path, body: body, signed: true, retry: idempotent}, nil)
}

// GetTask returns one task of the server; an answer about another task is
// KindBadAnswer. A 404 is returned as KindNotFound at once: whether it is the
// transient 404 of a young task (reference/ovh-api.md §3.5) or a purged task,
// only the caller, who knows when the task began, can tell.
func (c *Client) GetTask(ctx context.Context, sn string, id int64) (Task, error) {
	var task Task
	path, err := serverPath(sn, "task", strconv.FormatInt(id, 10))
	if err != nil {
		return task, err
	}
	cl := get(path)
	cl.check = func() string {
		if task.ID != id {
			return fmt.Sprintf("the answer describes task %d, not %d", task.ID, id)
		}
		return ""
	}
	if err = c.do(ctx, cl, &task); err != nil {
		return Task{}, err
	}
	return task, nil
}

// ListTasks returns the server's task IDs, filtered by function and status
// when they are non-empty.
func (c *Client) ListTasks(ctx context.Context, sn, function, status string) ([]int64, error) {
	var ids []int64
	path, err := serverPath(sn, "task")
	if err != nil {
		return nil, err
	}
	err = c.do(ctx, get(withQuery(path, map[string]string{"function": function, "status": status})), &ids)
	return ids, err
}
