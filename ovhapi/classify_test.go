package ovhapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestResponseErrorClassification(t *testing.T) {
	const queryID = "EU.ext-1.5e1f.42"
	tests := []struct {
		name        string
		status      int
		path        string
		body        string
		wantKind    Kind
		wantClass   string
		wantMessage string
	}{
		{"legacy bad signature", 400, "/dedicated/server/ns1",
			`{"errorCode":"INVALID_SIGNATURE","httpCode":"400 Bad Request","message":"Invalid signature"}`,
			KindBadRequest, "INVALID_SIGNATURE", "Invalid signature"},
		{"legacy invalid key", 403, "/auth/currentCredential",
			`{"errorCode":"INVALID_KEY","httpCode":"403 Forbidden","message":"Invalid application key"}`,
			KindBadKey, "INVALID_KEY", "Invalid application key"},
		{"go-ovh style invalid key, no code", 403, "/auth/credential",
			`{"message":"Invalid application key"}`, KindBadKey, "", "Invalid application key"},
		{"legacy unknown credential", 403, "/dedicated/server",
			`{"errorCode":"NOT_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential does not exist"}`,
			KindCredentialUnknown, "NOT_CREDENTIAL", "This credential does not exist"},
		{"current unknown credential, message only", 403, "/dedicated/server",
			`{"class":"Client::Forbidden","message":"This credential does not exist"}`,
			KindCredentialUnknown, "Client::Forbidden", "This credential does not exist"},
		{"legacy invalid credential", 403, "/dedicated/server",
			`{"errorCode":"INVALID_CREDENTIAL","httpCode":"403 Forbidden","message":"This credential is not valid"}`,
			KindCredentialInvalid, "INVALID_CREDENTIAL", "This credential is not valid"},
		{"legacy not granted", 403, "/dedicated/server/ns1/reboot", notGranted,
			KindNotGranted, "NOT_GRANTED_CALL", "This call has not been granted"},
		{"IAM forbidden with details", 403, "/dedicated/server/ns1/reboot",
			`{"class":"Client::Forbidden","message":"User not granted for this request","details":{"unauthorizedActionsByIAM":"dedicatedServer:apiovh:reboot"}}`,
			KindNotGranted, "Client::Forbidden", "User not granted for this request (missing IAM permissions: dedicatedServer:apiovh:reboot)"},
		{"IAM details with a non-string value", 403, "/dedicated/server/ns1",
			`{"class":"Client::Forbidden","message":"User not granted for this request","details":{"unauthorizedActionsByIAM":["x"]}}`,
			KindNotGranted, "Client::Forbidden", "User not granted for this request"},
		{"401 no auth", 401, "/dedicated/server",
			`{"message":"You must login first"}`, KindAuthRequired, "", "You must login first"},
		{"unknown server", 404, "/dedicated/server/ns9", unknownServer,
			KindUnknownServer, "Client::NotFound", "The requested object (serviceName = ns9) does not exist"},
		{"unknown server below its path", 404, "/dedicated/server/ns9/reboot", unknownServer,
			KindUnknownServer, "Client::NotFound", "The requested object (serviceName = ns9) does not exist"},
		{"unknown task", 404, "/dedicated/server/ns1/task/7", taskNotFound,
			KindNotFound, "Client::NotFound", "The requested object (taskId = 7) does not exist"},
		{"404 on a server path, plain body", 404, "/dedicated/server/ns9?x=1", `{"message":"Not Found"}`,
			KindUnknownServer, "", "Not Found"},
		{"task already exists", 400, "/dedicated/server/ns1/reboot",
			`{"class":"Client::BadRequest::TaskAlreadyExists","message":"Task 563254948 of type hardReboot with status todo is already running on server ns1"}`,
			KindTaskAlreadyExists, "Client::BadRequest::TaskAlreadyExists", "Task 563254948 of type hardReboot with status todo is already running on server ns1"},
		{"other bad request", 400, "/dedicated/server/ns1",
			`{"class":"Client::BadRequest","message":"Invalid bootId"}`, KindBadRequest, "Client::BadRequest", "Invalid bootId"},
		{"rate limited, empty body", 429, "/dedicated/server", ``, KindRateLimited, "", ""},
		{"500 current body", 500, "/dedicated/server/ns1/task/7", status500,
			KindServer, "Server::InternalServerError", "Internal server error"},
		{"HTML 503", 503, "/dedicated/server/ns1", html503,
			KindServer, "", "HTML error page: 503 Service Unavailable"},
		{"HTML 502 without title", 502, "/dedicated/server/ns1", "<html>\n<body>Bad gateway</body></html>",
			KindServer, "", "HTML error page"},
		{"plain text 504", 504, "/dedicated/server", "upstream\n  timed out", KindServer, "", "upstream timed out"},
		{"unexpected 409", 409, "/dedicated/server", `{"message":"conflict"}`, KindUnknown, "", "conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			header := http.Header{}
			header.Set("X-Ovh-QueryID", queryID)
			e := responseError("GET", tt.path, tt.status, header, []byte(tt.body))
			if e.Kind != tt.wantKind || e.Class != tt.wantClass || e.Message != tt.wantMessage {
				t.Fatalf("got kind %v class %q message %q; want %v %q %q", e.Kind, e.Class, e.Message, tt.wantKind, tt.wantClass, tt.wantMessage)
			}
			if e.QueryID != queryID || e.Status != tt.status {
				t.Errorf("query id %q status %d; want %q %d", e.QueryID, e.Status, queryID, tt.status)
			}
			line := e.Error()
			if !strings.Contains(line, fmt.Sprintf("(HTTP %d, query id %s)", tt.status, queryID)) || strings.Contains(line, "\n") {
				t.Errorf("Error() = %q; want one line with status and query id", line)
			}
		})
	}
}

func TestErrorText(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: KindNotGranted, Status: 403, Message: "This call has not been granted", QueryID: "EU.ext-1.x", Method: "POST", Path: "/dedicated/server/ns1/reboot"},
			"POST /dedicated/server/ns1/reboot: call not granted (HTTP 403, query id EU.ext-1.x): This call has not been granted"},
		{&Error{Kind: KindRateLimited, Status: 429, Method: "GET", Path: "/dedicated/server"},
			"GET /dedicated/server: rate limited (HTTP 429)"},
		{&Error{Kind: KindNetwork, Method: "GET", Path: "/auth/time", Err: errors.New("connection refused")},
			"GET /auth/time: network error: connection refused"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q; want %q", got, tt.want)
		}
	}
}

func TestHint(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{Kind: KindNotGranted, Method: "PUT", Path: "/dedicated/server/ns1?x=1"},
			"the consumer key lacks a rule for PUT /dedicated/server/ns1; run `ovhfence check`"},
		{&Error{Kind: KindCredentialInvalid}, "`ovhfence keys request`"},
		{&Error{Kind: KindBadRequest, Message: "Invalid signature"}, "application_secret and the system clock"},
		{&Error{Kind: KindNetwork}, "could not be reached"},
	}
	for _, tt := range tests {
		if got := tt.err.Hint(); !strings.Contains(got, tt.want) {
			t.Errorf("%v Hint() = %q; want it to contain %q", tt.err.Kind, got, tt.want)
		}
	}
	for k := KindBadKey; k <= KindNetwork; k++ {
		e := &Error{Kind: k, Message: "Invalid signature"}
		if e.Hint() == "" {
			t.Errorf("kind %v has no hint", k)
		}
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("kind %d has no name", int(k))
		}
	}
}

func TestKindOfAndRetryable(t *testing.T) {
	wrapped := fmt.Errorf("fencing ns1: %w", &Error{Kind: KindServer})
	tests := []struct {
		err       error
		kind      Kind
		retryable bool
	}{
		{wrapped, KindServer, true},
		{&Error{Kind: KindRateLimited}, KindRateLimited, true},
		{&Error{Kind: KindNetwork}, KindNetwork, true},
		{&Error{Kind: KindNotGranted}, KindNotGranted, false},
		{&Error{Kind: KindNotFound}, KindNotFound, false},
		{errors.New("plain"), KindUnknown, false},
		{nil, KindUnknown, false},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.kind {
			t.Errorf("KindOf(%v) = %v; want %v", tt.err, got, tt.kind)
		}
		if got := Retryable(tt.err); got != tt.retryable {
			t.Errorf("Retryable(%v) = %v; want %v", tt.err, got, tt.retryable)
		}
	}
}

func TestRunningTaskFromMessage(t *testing.T) {
	tests := []struct {
		message string
		want    Task
		ok      bool
	}{
		{"Task 563254948 of type hardReboot with status todo is already running on server ns1", Task{ID: 563254948, Function: "hardReboot", Status: "todo"}, true},
		{"Task 12 of type reinstallServer with status doing is already running on server ns1", Task{ID: 12, Function: "reinstallServer", Status: "doing"}, true},
		{"A task is already running", Task{}, false},
	}
	for _, tt := range tests {
		got, ok := runningTaskFromMessage(tt.message)
		if ok != tt.ok || got.ID != tt.want.ID || got.Function != tt.want.Function || got.Status != tt.want.Status {
			t.Errorf("runningTaskFromMessage(%q) = %+v, %v; want %+v, %v", tt.message, got, ok, tt.want, tt.ok)
		}
	}
}
