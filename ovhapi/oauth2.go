package ovhapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ovh/go-ovh/ovh"
)

// Service accounts are OVH's OAuth2 client credentials: a client_id and
// client_secret (POST /me/api/oauth2/client) exchanged for a short-lived
// bearer token, whose rights come from IAM policies instead of consumer-key
// rules (reference/ovh-api.md §6).
//
// go-ovh v1.9.0 supports them only for ovh-eu, ovh-ca and ovh-us, refuses a URL
// endpoint ("oauth2 authentication is not compatible with endpoint", its
// configuration.go) and fetches the token with context.Background(), without
// a timeout: so ovhfence fetches, reuses and renews the token itself, within
// the caller's deadline, and lets go-ovh only build the requests.

// ServiceAccount reports whether c names a service account (either half).
func (c Config) ServiceAccount() bool { return c.ClientID != "" || c.ClientSecret != "" }

func (c Config) redactedServiceAccount() string {
	secret := "client secret missing"
	if c.ClientSecret != "" {
		secret = "client secret set"
	}
	return fmt.Sprintf("endpoint=%s client_id=%s %s", orDefaultEndpoint(c.Endpoint), orNone(c.ClientID), secret)
}

// CheckAuthMethod refuses credentials that mix a service account with
// application keys (go-ovh refuses them too: "can't use multiple
// authentication methods"), in one line that says what to remove.
func (c Config) CheckAuthMethod() error {
	keys := setFields(map[string]string{"application_key": c.ApplicationKey,
		"application_secret": c.ApplicationSecret, "consumer_key": c.ConsumerKey})
	account := setFields(map[string]string{"client_id": c.ClientID, "client_secret": c.ClientSecret})
	switch {
	case len(keys) > 0 && len(account) > 0:
		return fmt.Errorf("both a service account (%s) and OVH API keys (%s) are set: remove %s to use the service account, or remove %s to use the keys",
			strings.Join(account, ", "), strings.Join(keys, ", "), strings.Join(keys, ", "), strings.Join(account, ", "))
	case len(account) == 1:
		return fmt.Errorf("a service account needs both client_id and client_secret; only %s is set", account[0])
	}
	return nil
}

// setFields lists the names whose value is not empty, in a stable order.
func setFields(fields map[string]string) []string {
	var set []string
	for _, name := range []string{"application_key", "application_secret", "consumer_key", "client_id", "client_secret"} {
		if fields[name] != "" {
			set = append(set, name)
		}
	}
	return set
}

// tokenURLs are OVH's OAuth2 token endpoints per API base URL, as go-ovh
// v1.9.0 lists them (ovh/ovh.go, tokensURLs): the only endpoints where OVH
// offers service accounts (not Kimsufi nor So you Start, reference §6).
var tokenURLs = map[string]string{
	ovh.OvhEU: "https://www.ovh.com/auth/oauth2/token",
	ovh.OvhCA: "https://ca.ovh.com/auth/oauth2/token",
	ovh.OvhUS: "https://us.ovhcloud.com/auth/oauth2/token",
}

// TokenURL is where a service account of endpoint gets its tokens: OVH's
// token URL for ovh-eu, ovh-ca and ovh-us, <scheme>://<host>/auth/oauth2/token
// for an endpoint URL (the sandbox, a test).
func TokenURL(endpoint string) (string, error) {
	endpoint = orDefaultEndpoint(endpoint)
	base, err := ResolveEndpoint(endpoint)
	if err != nil {
		return "", err
	}
	if strings.Contains(endpoint, "/") {
		u, err := url.Parse(base)
		if err != nil {
			return "", err
		}
		return u.Scheme + "://" + u.Host + "/auth/oauth2/token", nil
	}
	if token, ok := tokenURLs[base]; ok {
		return token, nil
	}
	return "", fmt.Errorf("OVH offers service accounts (client_id/client_secret) only on ovh-eu, ovh-ca and ovh-us, not on %s: use an application key and consumer key there", endpoint)
}

// Login makes sure signed calls can be sent: with keys it measures the clock
// skew (SyncTime), with a service account it gets a token. Either is bounded
// by the login timeout and ctx.
func (c *Client) Login(ctx context.Context) error {
	if c.tokens != nil {
		_, err := c.accessToken(ctx)
		return err
	}
	_, err := c.SyncTime(ctx)
	return err
}

// bearerToken is RFC 6750's b64token: a token with anything else (a newline,
// a space) would not fit in the Authorization header as it is.
var bearerToken = regexp.MustCompile(`^[A-Za-z0-9._~+/-]+=*$`)

// tokenRenewal is how long before its expiry a token is renewed:
// golang.org/x/oauth2's defaultExpiryDelta (token.go), which go-ovh relies on.
const tokenRenewal = 10 * time.Second

// tokenPath names the token request in errors and logs.
const tokenPath = "/auth/oauth2/token"

// tokens fetches and caches the bearer token of a service account.
type tokens struct {
	url, clientID, clientSecret string

	mu     sync.Mutex // held while a token is fetched: callers wait for it
	token  string
	expiry time.Time

	current atomic.Value // string: the token, for scrub (which must not take mu)
}

// tokenAnswer is the token endpoint's JSON answer (RFC 6749 §5.1; OVH's in
// reference §6: {"access_token","token_type":"Bearer","expires_in":3599,"scope":"all"}).
type tokenAnswer struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
}

// tokenError is an RFC 6749 §5.2 error, e.g. OVH's
// {"error":"invalid_client","error_description":"ovhcloud oauth2 client does not exists"}.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// accessToken returns a token valid for at least tokenRenewal, fetching one
// (with retries on transient errors, within ctx) when needed.
func (c *Client) accessToken(ctx context.Context) (string, error) {
	t := c.tokens
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.token != "" && time.Now().Before(t.expiry.Add(-tokenRenewal)) {
		return t.token, nil
	}
	tokenCall := call{method: http.MethodPost, path: tokenPath}
	for attempt := 1; ; attempt++ {
		answer, err := c.fetchToken(ctx)
		if err == nil {
			t.token, t.expiry = answer.AccessToken, time.Now().Add(time.Duration(answer.ExpiresIn)*time.Second)
			t.current.Store(answer.AccessToken)
			return t.token, nil
		}
		if !Retryable(err) || !c.attemptsLeft(attempt) || !c.pause(ctx, tokenCall, attempt, err) {
			return "", err
		}
	}
}

// forgetToken drops token after the API refused it (401): it expired early or
// was revoked; the next call fetches a new one.
func (c *Client) forgetToken(token string) {
	c.tokens.mu.Lock()
	defer c.tokens.mu.Unlock()
	if c.tokens.token == token {
		c.tokens.token = ""
	}
}

// fetchToken makes one client_credentials request: form-encoded, the client
// in the body, scope "all" as go-ovh asks (reference §6), bounded by the login
// timeout and ctx.
func (c *Client) fetchToken(ctx context.Context) (tokenAnswer, *Error) {
	var answer tokenAnswer
	form := url.Values{
		"grant_type":    {"client_credentials"},
		"client_id":     {c.tokens.clientID},
		"client_secret": {c.tokens.clientSecret},
		"scope":         {"all"},
	}
	reqCtx, cancel := context.WithTimeout(ctx, c.opts.TimeSyncTimeout)
	defer cancel()
	fail := func(kind Kind, status int, class, message string) (tokenAnswer, *Error) {
		err := &Error{Kind: kind, Status: status, Class: class, Message: c.scrub(message),
			Method: http.MethodPost, Path: c.tokens.url}
		c.logf("POST %s → %s", c.tokens.url, err)
		return answer, err
	}
	req, err := http.NewRequestWithContext(reqCtx, http.MethodPost, c.tokens.url, strings.NewReader(form.Encode()))
	if err != nil {
		return fail(KindUnknown, 0, "", err.Error())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ovhfence ("+c.opts.UserAgent+")")
	resp, err := c.http.Do(req)
	if err != nil {
		return answer, c.networkError(call{method: http.MethodPost, path: c.tokens.url}, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return answer, c.networkError(call{method: http.MethodPost, path: c.tokens.url}, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var te tokenError
		if json.Unmarshal(body, &te) != nil || te.Error == "" {
			return fail(classify(resp.StatusCode, "", "", tokenPath), resp.StatusCode, "", summarizeBody(body))
		}
		kind := KindBadRequest
		switch {
		case te.Error == "invalid_client" || te.Error == "unauthorized_client":
			kind = KindServiceAccountInvalid
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
			kind = classify(resp.StatusCode, "", "", tokenPath)
		}
		return fail(kind, resp.StatusCode, te.Error, te.Description)
	}
	if json.Unmarshal(body, &answer) != nil || !bearerToken.MatchString(answer.AccessToken) ||
		!strings.EqualFold(answer.TokenType, "bearer") || answer.ExpiresIn <= 0 {
		return fail(KindBadAnswer, resp.StatusCode, "", "the token endpoint did not answer a bearer token with expires_in")
	}
	c.logf("POST %s → %d: bearer token valid %ds", c.tokens.url, resp.StatusCode, answer.ExpiresIn)
	return answer, nil
}

// currentToken is the token in use, "" before the first.
func (t *tokens) currentToken() string {
	s, _ := t.current.Load().(string)
	return s
}
