package ovhsim

import (
	"fmt"
	"net/http"
)

// apiError is an OVH error body. Authentication errors use the legacy keys
// (errorCode, httpCode); object errors use class. details values are strings
// because go-ovh drops the message when they are not (reference §1.6).
type apiError struct {
	status    int
	ErrorCode string            `json:"errorCode,omitempty"`
	HTTPCode  string            `json:"httpCode,omitempty"`
	Class     string            `json:"class,omitempty"`
	Message   string            `json:"message"`
	Details   map[string]string `json:"details,omitempty"`
}

// legacyError builds an authentication error in the legacy shape.
func legacyError(status int, code, message string) *apiError {
	return &apiError{
		status:    status,
		ErrorCode: code,
		HTTPCode:  fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Message:   message,
	}
}

// classError builds an error in the current {class, message} shape.
func classError(status int, class, message string) *apiError {
	return &apiError{status: status, Class: class, Message: message}
}

// Authentication errors, in the order the checks run (reference §4, §7 item 5).
var (
	errNoApplicationKey = legacyError(http.StatusUnauthorized, "", "You must send your application key to request new credentials")
	errInvalidKey       = legacyError(http.StatusForbidden, "INVALID_KEY", "Invalid application key")
	// OVH's exact body for a skewed timestamp is unknown (reference §4); the
	// status is what clients can rely on.
	errInvalidTimestamp  = legacyError(http.StatusBadRequest, "INVALID_TIMESTAMP", "Query out of time")
	errInvalidSignature  = legacyError(http.StatusBadRequest, "INVALID_SIGNATURE", "Invalid signature")
	errNotCredential     = legacyError(http.StatusForbidden, "NOT_CREDENTIAL", "This credential does not exist")
	errInvalidCredential = legacyError(http.StatusForbidden, "INVALID_CREDENTIAL", "This credential is not valid")
	// The body for a source address outside allowedIPs is unknown too.
	errIPNotAllowed  = legacyError(http.StatusForbidden, "NOT_ALLOWED_IP", "This IP is not allowed to use this credential")
	errNotGranted    = legacyError(http.StatusForbidden, "NOT_GRANTED_CALL", "This call has not been granted")
	errLoginFirst    = legacyError(http.StatusUnauthorized, "", "You must login first")
	errTooManyCalls  = legacyError(http.StatusTooManyRequests, "", "Too many requests")
	errInternalError = classError(http.StatusInternalServerError, "Server::InternalServerError", "Internal server error")
)

// notFound is OVH's answer for an object the account does not have.
func notFound(key string, value any) *apiError {
	return classError(http.StatusNotFound, "Client::NotFound",
		fmt.Sprintf("The requested object (%s = %v) does not exist", key, value))
}

// badRequest is a 400 for a parameter OVH would refuse.
func badRequest(message string) *apiError {
	return classError(http.StatusBadRequest, "Client::BadRequest", message)
}
