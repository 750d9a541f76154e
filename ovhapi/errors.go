package ovhapi

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ovhfence/ovhfence/safetext"
)

// Kind says what went wrong with an OVH API call, in terms a caller can act on
// (reference/ovh-api.md §4).
type Kind int

const (
	KindUnknown               Kind = iota
	KindBadKey                     // 403 Invalid application key
	KindCredentialUnknown          // 403 NOT_CREDENTIAL: the CK does not exist or belongs to another AK
	KindCredentialInvalid          // 403 INVALID_CREDENTIAL: the CK is pending, refused or expired
	KindNotGranted                 // 403 NOT_GRANTED_CALL or IAM Forbidden
	KindUnknownServer              // 404 on a server path
	KindNotFound                   // any other 404
	KindTaskAlreadyExists          // 400 Client::BadRequest::TaskAlreadyExists
	KindBadRequest                 // any other 400, including bad signature and timestamp
	KindAuthRequired               // 401
	KindRateLimited                // 429
	KindServer                     // 5xx, HTML error pages included
	KindNetwork                    // transport errors and timeouts
	KindBadAnswer                  // a 2xx whose body is not the object asked for (null, {}, another task or server)
	KindServiceAccountInvalid      // the token endpoint refused client_id/client_secret (invalid_client)
)

var kindNames = [...]string{
	KindUnknown:               "unexpected API error",
	KindBadKey:                "invalid application key",
	KindCredentialUnknown:     "unknown consumer key",
	KindCredentialInvalid:     "consumer key not valid",
	KindNotGranted:            "call not granted",
	KindUnknownServer:         "unknown server",
	KindNotFound:              "not found",
	KindTaskAlreadyExists:     "task already running",
	KindBadRequest:            "bad request",
	KindAuthRequired:          "authentication required",
	KindRateLimited:           "rate limited",
	KindServer:                "OVH API server error",
	KindNetwork:               "network error",
	KindBadAnswer:             "unexpected answer",
	KindServiceAccountInvalid: "service account refused",
}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// Error is a failed OVH API call. It never holds a secret: messages that could
// echo one are scrubbed before an Error is built.
type Error struct {
	Kind    Kind
	Status  int    // HTTP status; 0 for network errors
	Class   string // "class" of current bodies, else "errorCode" of legacy ones
	Message string // OVH's message, or a summary of a non-JSON body
	QueryID string // X-Ovh-QueryID, for OVH support
	Method  string
	Path    string // relative to the endpoint, with the query string
	Err     error  // the transport error, for KindNetwork

	retryAfter time.Duration // from a 429's Retry-After header
}

// Error shows OVH's message, and a transport error that may quote the
// server, through safetext.Line: one line, no control characters, at most 512
// bytes, wherever the error is shown (logs, "Failed:", the wizard).
func (e *Error) Error() string {
	what := fmt.Sprintf("%s %s: %s", e.Method, safetext.Line(e.Path), e.Kind)
	if e.Status == 0 {
		if e.Err != nil {
			return what + ": " + safetext.Line(e.Err.Error())
		}
		return what
	}
	where := fmt.Sprintf("HTTP %d", e.Status)
	if e.QueryID != "" {
		where += ", query id " + safetext.Line(e.QueryID)
	}
	if e.Message == "" {
		return fmt.Sprintf("%s (%s)", what, where)
	}
	return fmt.Sprintf("%s (%s): %s", what, where, safetext.Line(e.Message))
}

func (e *Error) Unwrap() error { return e.Err }

// Hint says what the operator can do about the error, or "" when nothing
// specific applies.
func (e *Error) Hint() string {
	switch e.Kind {
	case KindBadKey:
		return "the application key is unknown to this endpoint: check application_key and that the endpoint is the region where the key was created"
	case KindCredentialUnknown:
		return "the consumer key does not exist or belongs to another application key: create a new one with `ovhfence keys request`"
	case KindCredentialInvalid:
		return "the consumer key is pending, refused or expired: create a new one with `ovhfence keys request`"
	case KindNotGranted:
		if strings.Contains(e.Message, "missing IAM permissions") {
			return "the IAM policy does not allow the missing action on this server: add it to the service account's policy; run `ovhfence check`"
		}
		return fmt.Sprintf("the consumer key lacks a rule for %s %s; run `ovhfence check`", e.Method, pathWithoutQuery(e.Path))
	case KindUnknownServer:
		return "check the server's service name (as listed by GET /dedicated/server) and that the key belongs to the account and endpoint that own it"
	case KindNotFound:
		return "the object does not exist (OVH purges finished tasks after a while)"
	case KindTaskAlreadyExists:
		return "another task is running on this server: wait for it to finish"
	case KindBadRequest:
		if isSignatureOrTimeMessage(e.Message) {
			return "check application_secret and the system clock (NTP)"
		}
		return ""
	case KindAuthRequired:
		return "the request carried no valid credentials: set application_key, application_secret and consumer_key, or client_id and client_secret"
	case KindRateLimited:
		return "too many calls for this consumer key (OVH allows about 60 a minute): wait a minute and retry"
	case KindServer:
		return "the OVH API failed on its side: retry later, and quote the query id to OVH support if it persists"
	case KindNetwork:
		return "the OVH API could not be reached: check DNS, the proxy and outgoing HTTPS to the API host"
	case KindServiceAccountInvalid:
		return "OVH does not know this client_id and client_secret: check both (the secret is shown only once, when the service account is created)"
	case KindBadAnswer:
		return "OVH's answer is not about what was asked (a proxy or cache between this host and the API?); nothing was concluded from it"
	}
	return ""
}

// KindOf returns the Kind of an *Error in err's chain, or KindUnknown.
func KindOf(err error) Kind {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.Kind
	}
	return KindUnknown
}

// Retryable reports whether repeating the same idempotent call may succeed.
func Retryable(err error) bool {
	switch KindOf(err) {
	case KindServer, KindRateLimited, KindNetwork, KindBadAnswer:
		return true
	}
	return false
}

func pathWithoutQuery(path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		return path[:i]
	}
	return path
}

func isSignatureOrTimeMessage(message string) bool {
	m := strings.ToLower(message)
	return strings.Contains(m, "signature") || strings.Contains(m, "time")
}

// WithHint returns err with the remedy its *Error knows appended ("…; run
// `ovhfence check`"), or err itself when there is none. Every front end shows
// OVH errors through it, so the admin always reads what to do next.
func WithHint(err error) error {
	var apiErr *Error
	if errors.As(err, &apiErr) && apiErr.Hint() != "" {
		return fmt.Errorf("%w; %s", err, apiErr.Hint())
	}
	return err
}
