"""The HTTP client of the BNV portal: one POST per confirmed version, every answer classified.

Standard library only (urllib): the project has no HTTP client dependency, and one request type
does not justify adding one. Deliberate choices:
- A timeout on every request (connect and each read), so a hung portal cannot hold a worker.
- No redirects: urllib would turn a redirected POST into a GET without the body and report the
  GET's 200 as success. A 3xx is a temporary failure here.
- No proxies from the environment unless configured (BNV_HTTP_PROXY): where the data goes is
  decided by the configuration, not by an inherited `http_proxy` variable.
- Only http(s) URLs, and https outside development and tests.

Outcomes: "sent" (2xx), "rejected" (a 4xx about the record: final), "retry" (5xx, timeout,
connection error, 401/403/408/425/429, 3xx). Reasons are Vietnamese, shown to the leader.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

from models.text import has_control_chars

RESPONSE_MAX_BYTES = 64 * 1024
REASON_MAX = 1000
USER_AGENT = "hoso-ccvc-sync/1"
# 4xx answers about the request or the connection rather than the record: worth retrying.
RETRYABLE_4XX = frozenset({401, 403, 408, 425, 429})

Outcome = Literal["sent", "rejected", "retry"]


class PortalConfigError(RuntimeError):
    """The portal settings cannot work (message in Vietnamese, for the operator)."""


@dataclass(frozen=True)
class PortalResult:
    outcome: Outcome
    status: int | None = None
    reference: str | None = None
    reason: str | None = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


def check_portal_url(url: str, *, require_https: bool) -> str:
    """The URL if usable, else PortalConfigError (file:// and friends are never fetched)."""
    parts = urlsplit(url or "")
    if not url:
        raise PortalConfigError("Chưa cấu hình địa chỉ cổng BNV (BNV_PORTAL_URL).")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PortalConfigError("Địa chỉ cổng BNV (BNV_PORTAL_URL) phải bắt đầu bằng https://.")
    if require_https and parts.scheme != "https":
        raise PortalConfigError("Địa chỉ cổng BNV (BNV_PORTAL_URL) phải dùng https trong môi trường vận hành.")
    return url


def _clean_reason(text: str) -> str:
    """A portal's message as we store and show it: one line, no control characters, bounded."""
    text = " ".join(str(text).split())
    if has_control_chars(text):
        text = "".join(ch for ch in text if ch.isprintable())
    return text[:REASON_MAX]


def _body_fields(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {"_text": raw.decode("utf-8", errors="replace")}
    return data if isinstance(data, dict) else {"_text": str(data)}


def _reason_of(fields: dict[str, Any]) -> str:
    for key in ("reason", "message", "error", "detail", "_text"):
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            return _clean_reason(value)
    return ""


class PortalClient:
    """POSTs JSON to the portal with the bearer token and the idempotency key."""

    def __init__(self, url: str, token: str, *, timeout: float, proxy: str | None = None) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout
        proxies = {"http": proxy, "https": proxy} if proxy else {}
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _NoRedirect())

    def send(self, key: str, payload: dict[str, Any]) -> PortalResult:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Idempotency-Key": key,
            "User-Agent": USER_AGENT,
        }
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                raw = response.read(RESPONSE_MAX_BYTES)
        except urllib.error.HTTPError as exc:
            try:
                raw = exc.read(RESPONSE_MAX_BYTES)
            except (OSError, TimeoutError):
                raw = b""
            return self._classify(exc.code, raw)
        except TimeoutError:
            return self._timeout()
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                return self._timeout()
            return PortalResult("retry", reason=f"Không kết nối được cổng BNV ({_clean_reason(str(exc.reason))}).")
        except OSError as exc:  # connection reset, refused, remote disconnected…
            return PortalResult("retry", reason=f"Không kết nối được cổng BNV ({_clean_reason(str(exc))}).")
        return self._classify(status, raw)

    def _timeout(self) -> PortalResult:
        seconds = f"{self.timeout:g}".replace(".", ",")
        return PortalResult("retry", reason=f"Cổng BNV không phản hồi trong {seconds} giây.")

    @staticmethod
    def _classify(status: int, raw: bytes) -> PortalResult:
        fields = _body_fields(raw)
        reason = _reason_of(fields)
        suffix = f": {reason.rstrip('.')}" if reason else ""
        if 200 <= status < 300:
            reference = fields.get("reference") or fields.get("id")
            return PortalResult("sent", status, reference=_clean_reason(str(reference)) if reference else None)
        if status in (401, 403):
            return PortalResult(
                "retry", status, reason=f"Cổng BNV từ chối xác thực (HTTP {status}){suffix}; kiểm tra BNV_PORTAL_TOKEN."
            )
        if 400 <= status < 500 and status not in RETRYABLE_4XX:
            return PortalResult("rejected", status, reason=f"Cổng BNV từ chối hồ sơ (HTTP {status}){suffix}.")
        if 300 <= status < 400:
            reason = f"Cổng BNV trả về chuyển hướng (HTTP {status}); kiểm tra địa chỉ BNV_PORTAL_URL."
            return PortalResult("retry", status, reason=reason)
        if 400 <= status < 500:
            return PortalResult("retry", status, reason=f"Cổng BNV tạm thời chưa nhận (HTTP {status}){suffix}.")
        return PortalResult("retry", status, reason=f"Cổng BNV báo lỗi máy chủ (HTTP {status}){suffix}.")
