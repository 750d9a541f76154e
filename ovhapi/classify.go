package ovhapi

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// errorBody covers both OVH error bodies: legacy {"errorCode","httpCode","message"}
// and current {"class","message","details"} (reference/ovh-api.md §4).
type errorBody struct {
	Class     string         `json:"class"`
	ErrorCode string         `json:"errorCode"`
	Message   string         `json:"message"`
	Details   map[string]any `json:"details"`
}

// maxMessageLen bounds messages taken from non-JSON bodies (HTML error pages).
const maxMessageLen = 200

// responseError builds the Error for a non-2xx response.
func responseError(method, path string, status int, header http.Header, body []byte) *Error {
	class, message := parseErrorBody(body)
	return &Error{
		Kind:    classify(status, class, message, path),
		Status:  status,
		Class:   class,
		Message: message,
		QueryID: header.Get("X-Ovh-QueryID"),
		Method:  method,
		Path:    path,
	}
}

func parseErrorBody(body []byte) (class, message string) {
	var eb errorBody
	if err := json.Unmarshal(body, &eb); err != nil {
		return "", summarizeBody(body)
	}
	class = eb.Class
	if class == "" {
		class = eb.ErrorCode
	}
	return class, eb.Message + iamDetails(eb.Details)
}

// iamDetails appends the missing IAM actions the way go-ovh's APIError does;
// they tell the operator exactly which permission to add.
func iamDetails(details map[string]any) string {
	var missing []string
	for _, key := range []string{"unauthorizedActionsByAuthentication", "unauthorizedActionsByIAM"} {
		if s, ok := details[key].(string); ok && s != "" {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return " (missing IAM permissions: " + strings.Join(missing, ", ") + ")"
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// summarizeBody turns a non-JSON body (a proxy's HTML page, plain text) into
// a one-line message.
func summarizeBody(body []byte) string {
	text := string(body)
	if m := htmlTitle.FindStringSubmatch(text); m != nil {
		text = "HTML error page: " + m[1]
	} else if strings.HasPrefix(strings.TrimSpace(text), "<") {
		text = "HTML error page"
	}
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > maxMessageLen {
		text = text[:maxMessageLen] + "…"
	}
	return text
}

// classify maps status + class/errorCode + message to a Kind. go-ovh keeps
// only class, so the message is matched too (reference/ovh-api.md §4).
func classify(status int, class, message, path string) Kind {
	switch {
	case status == http.StatusUnauthorized:
		return KindAuthRequired
	case status == http.StatusForbidden:
		return classifyForbidden(class, message)
	case status == http.StatusNotFound:
		if isServerPath(path) || strings.Contains(message, "serviceName") {
			return KindUnknownServer
		}
		return KindNotFound
	case status == http.StatusBadRequest:
		if strings.Contains(class, "TaskAlreadyExists") || strings.Contains(message, "is already running") {
			return KindTaskAlreadyExists
		}
		return KindBadRequest
	case status == http.StatusTooManyRequests:
		return KindRateLimited
	case status >= 500:
		return KindServer
	}
	return KindUnknown
}

func classifyForbidden(class, message string) Kind {
	code := strings.ToUpper(class)
	m := strings.ToLower(message)
	switch {
	case code == "INVALID_KEY" || strings.Contains(m, "invalid application key"):
		return KindBadKey
	case code == "NOT_CREDENTIAL" || strings.Contains(m, "credential does not exist"):
		return KindCredentialUnknown
	case code == "INVALID_CREDENTIAL" || strings.Contains(m, "credential is not valid"):
		return KindCredentialInvalid
	}
	// NOT_GRANTED_CALL, IAM's Client::Forbidden and any other refusal.
	return KindNotGranted
}

// isServerPath reports whether path is exactly /dedicated/server/{sn}.
func isServerPath(path string) bool {
	rest, ok := strings.CutPrefix(pathWithoutQuery(path), serversPath+"/")
	return ok && rest != "" && !strings.Contains(rest, "/")
}

// taskAlreadyRunning matches the TaskAlreadyExists message, quoted from
// production in reference/ovh-api.md §3.5.
var taskAlreadyRunning = regexp.MustCompile(`Task (\d+) of type (\S+) with status (\S+) is already running`)

// runningTaskFromMessage extracts the task a TaskAlreadyExists error names.
func runningTaskFromMessage(message string) (Task, bool) {
	m := taskAlreadyRunning.FindStringSubmatch(message)
	if m == nil {
		return Task{}, false
	}
	id, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return Task{}, false
	}
	return Task{ID: id, Function: m[2], Status: m[3]}, true
}
