"""The one HTTP client every connector uses: timeouts, a user agent naming the project, retries with
backoff on 429, 5xx and transport errors (honouring Retry-After), a per-host rate limit, and tokens
that never reach a log, an archive, an error message or another host.

Redirects are followed here, one hop at a time, not by httpx: httpx drops `Authorization` on a redirect
to another origin but keeps every other header, so a Socrata `X-App-Token` would follow a redirect
anywhere. A request that carries a credential is never sent on to another host: the redirect is refused
with a sentence. One that carries none follows it, and the response keeps the hops in `history` so the
archive can say where it really came from.
"""

from __future__ import annotations

import email.utils
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import httpx
import stamina

from ingest import settings

USER_AGENT = "WhosWatching/0.1 (open-source public-records watchdog; +https://github.com/whos-watching)"
# Tokens are read from these variables, sent as headers only, and scrubbed from anything we print or store.
SECRET_ENV = settings.SECRET_VARIABLES
SECRET_PARAMS = frozenset({"$$app_token", "app_token", "token", "api_key", "apikey", "access_token"})
MAX_RETRY_AFTER = 300.0  # a server asking for longer than this is treated as down, not waited for
# Seconds between two requests to one host. The public APIs ask for politeness; a local mirror or a test
# server may allow less (WATCHDOG_HTTP_INTERVAL=0).
DEFAULT_INTERVAL = settings.DEFAULT_HTTP_INTERVAL
MAX_REDIRECTS = 10
# Headers that are credentials by name; any header whose name has one of these words, or whose value holds
# a configured token, counts too. Cookies are left to httpx's cookie jar, which scopes them to their domain.
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "x-app-token"})
SECRET_HEADER_WORDS = ("token", "secret", "auth", "api-key", "apikey", "password")


class FetchError(RuntimeError):
    """A request that failed for good (after retries, or a status no retry can fix); `status` is the HTTP
    status when the server answered with one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class RetryableStatus(Exception):
    """A 429 or 5xx answer: worth another try, after the wait the server asked for if it said one."""

    def __init__(self, response: httpx.Response):
        self.response = response
        self.retry_after = retry_after_seconds(response.headers.get("Retry-After"))
        too_long = self.retry_after is not None and self.retry_after > MAX_RETRY_AFTER
        super().__init__(
            f"HTTP {response.status_code} from {strip_query(str(response.url))}"
            + (f" (asked to retry after {self.retry_after:.0f} s: treated as down)" if too_long else "")
        )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.now(UTC)
    return max((when - now).total_seconds(), 0.0)


def _backoff(exc: Exception) -> bool | float:
    # stamina waits the seconds a hook returns instead of its own backoff: that is how Retry-After is honoured.
    if isinstance(exc, RetryableStatus):
        if exc.retry_after is None:
            return True
        return exc.retry_after if exc.retry_after <= MAX_RETRY_AFTER else False
    return isinstance(exc, httpx.TransportError)


def transport_cause(exc: httpx.TransportError) -> str:
    """What went wrong on the wire, in the words a reader of the run log needs first."""
    text = str(exc).lower()
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if "reset" in text:
        return "connection reset"
    if "complete message body" in text:
        return "response body cut short"
    if "without sending a response" in text:
        return "connection closed without a response"
    return "transport error"


# Tokens a connector obtained while running (a signed-in session's access token): scrubbed like the others.
_RUNTIME_SECRETS: set[str] = set()


def add_secret(value: str) -> None:
    if value:
        _RUNTIME_SECRETS.add(value)


def secrets() -> list[str]:
    return settings.secret_values() + sorted(_RUNTIME_SECRETS)


def scrub(text: str) -> str:
    """Remove every configured token from a message before it is printed or stored."""
    for secret in secrets():
        text = text.replace(secret, "[secret]")
    return text


def public_params(params: dict | None) -> dict:
    """Query parameters as they may be archived: secret ones dropped, token values scrubbed."""
    return {k: scrub(str(v)) for k, v in (params or {}).items() if k.lower() not in SECRET_PARAMS}


def strip_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def rebase(url: str, base_url: str | None) -> str:
    """Replace scheme and host (and port) of `url` with those of `base_url`, keeping path and query."""
    if not base_url:
        return url
    base, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))


def base_url_for(platform: str, override: str | None = None) -> str | None:
    """--base-url wins; otherwise WATCHDOG_<PLATFORM>_BASE_URL; otherwise None (the registry's own host)."""
    return override or settings.base_url(platform)


def same_host(a: httpx.URL, b: httpx.URL) -> bool:
    """Whether a credential meant for `a` may go to `b`: the same host and port, or the same host moving
    from http to https on the default ports. A move to plain http is another place for a token."""
    if a.host != b.host:
        return False
    if a.scheme == b.scheme:
        return a.port == b.port
    return a.scheme == "http" and b.scheme == "https" and a.port is None and b.port is None


def host_of(url: httpx.URL | str) -> str:
    return httpx.URL(str(url)).netloc.decode("ascii")


def credentials_in(request: httpx.Request) -> list[str]:
    """What in this request is a credential: header names, and 'body' when the body holds a known token
    (a sign-in's password, a refresh token)."""
    values = secrets()
    found = [
        name
        for name, value in request.headers.items()
        if name.lower() in SECRET_HEADERS
        or any(w in name.lower() for w in SECRET_HEADER_WORDS)
        or any(v in value for v in values)
    ]
    body = request.content if isinstance(request.stream, httpx.ByteStream) else b""
    if body and any(v.encode() in body for v in values):
        found.append("body")
    return found


def refuse_redirect(request: httpx.Request, response: httpx.Response, credentials: list[str]) -> FetchError:
    what = "token" if credentials != ["body"] else "password or token in its body"
    return FetchError(
        f"{host_of(request.url)} redirected {request.method} {strip_query(str(request.url))} to "
        f"{host_of(response.next_request.url)}; not followed, since the {what} it carries "
        f"({', '.join(credentials)}) is only for {host_of(request.url)}",
        response.status_code,
    )


def left_host(response: httpx.Response) -> tuple[str, str] | None:
    """(asked host, answering host) when redirects took this response to another host, else None."""
    if not getattr(response, "history", None):
        return None
    asked, came = response.history[0].request.url, response.request.url
    return None if same_host(asked, came) else (host_of(asked), host_of(came))


class RateLimit:
    """At most one request per `interval` seconds to each host, shared by every connector in the process."""

    def __init__(self, interval: float):
        self.interval = interval
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str) -> None:
        with self._lock:
            due = self._last.get(host, float("-inf")) + self.interval
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._last[host] = time.monotonic()


class Client:
    """Use as a context manager. `get`/`post` return a response with status 2xx or 304, or raise FetchError."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        attempts: int = 5,
        min_interval: float | None = None,
        wait_initial: float = 1.0,
        wait_max: float = 60.0,
        headers: dict | None = None,
    ):
        self.attempts = attempts
        self.wait_initial = wait_initial
        self.wait_max = wait_max
        if min_interval is None:
            min_interval = settings.http_interval()
        self.rate = RateLimit(min_interval)
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self._http.close()

    def get(self, url: str, **kw) -> httpx.Response:
        return self.request("GET", url, **kw)

    def post(self, url: str, **kw) -> httpx.Response:
        return self.request("POST", url, **kw)

    def request(
        self, method: str, url: str, *, params: dict | None = None, json: object = None, headers: dict | None = None
    ) -> httpx.Response:
        host = urlsplit(url).netloc
        tries = 0
        try:
            for attempt in stamina.retry_context(
                on=_backoff,
                attempts=self.attempts,
                timeout=None,
                wait_initial=self.wait_initial,
                wait_max=self.wait_max,
            ):
                with attempt:
                    tries += 1
                    self.rate.wait(host)
                    response = self._send(
                        self._http.build_request(method, url, params=params, json=json, headers=headers)
                    )
                    if response.status_code == 429 or response.status_code >= 500:
                        raise RetryableStatus(response)
        except RetryableStatus as exc:
            raise FetchError(f"{exc} after {tries} attempt(s)", exc.response.status_code) from None
        except httpx.TransportError as exc:
            raise FetchError(
                scrub(
                    f"{transport_cause(exc)}: {type(exc).__name__} for {method} {strip_query(url)}: "
                    f"{exc} (after {tries} attempt(s))"
                )
            ) from None
        if response.status_code >= 400:
            raise FetchError(f"HTTP {response.status_code} from {method} {strip_query(url)}", response.status_code)
        return response

    def _send(self, request: httpx.Request) -> httpx.Response:
        """Send, following redirects hop by hop; a credential never leaves the host it was sent to."""
        first, credentials = request.url, credentials_in(request)
        history: list[httpx.Response] = []
        while True:
            response = self._http.send(request, follow_redirects=False)
            if response.next_request is None:
                response.history = history
                return response
            if len(history) >= MAX_REDIRECTS:
                raise FetchError(
                    f"{host_of(first)} redirected more than {MAX_REDIRECTS} times for "
                    f"{strip_query(str(first))}; not followed further",
                    response.status_code,
                )
            following = response.next_request
            if credentials and not same_host(first, following.url):
                raise refuse_redirect(request, response, credentials)
            history.append(response)
            request = following
            self.rate.wait(request.url.netloc.decode("ascii"))
