"""Start Ralph (a real xAPI learning record store) on 127.0.0.1 with its filesystem backend, for the sync tests.

Run as `python tests/ralph_lrs.py PORT`; configuration comes from Ralph's own environment variables (RALPH_AUTH_FILE,
RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH, ...). This is what `ralph runserver -b fs` starts, less its file
watcher, with one setting changed: Ralph 5.1's filesystem backend writes each POST with the operation CREATE, so
every POST after the first fails (HTTP 500, "already exists and overwrite is not allowed"). Appending is the
operation that backend offers for adding to its statements file, and is what a store that receives many batches does.
"""
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
