"""SHA-256 from Python's own small implementation when there is one, not hashlib's OpenSSL-backed one.

`import hashlib` loads OpenSSL's libcrypto (about 3.7 MB of memory on Linux) only to fingerprint scenario files of a
few kilobytes; the built-in module gives the same digest (a 5 MB file, the largest allowed, takes about 15 ms).
"""
from __future__ import annotations

try:
    from _sha2 import sha256  # Python 3.12 and later
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # pragma: no cover - a build without the built-in hashes
        from hashlib import sha256

__all__ = ["sha256"]
