"""Runs inside Pyodide (see pycompile.mjs): rewrite each wheel in /in with bytecode, to /out.

Every module becomes sourceless (``mod.pyc`` in place of ``mod.py``, as Pyodide ships its
own packages): Python 3.14 bytecode is about twice the size of the source, so keeping both
would cost more download than it saves. Tracebacks still name file and line. Output is
reproducible: same input, same bytes.
"""

import base64
import hashlib
import importlib.util
import io
import pathlib
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

SITE = "/lib/python3.14/site-packages/"
EPOCH = (1980, 1, 1, 0, 0, 0)


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}\n"


def pyc(name, source):
    code = compile(source, SITE + name, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False))


def rewrite(path):
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()
                   if not info.is_dir()]
    out, record_name = [], None
    for name, data in entries:
        if name.endswith(".dist-info/RECORD"):
            record_name = name
            continue
        if not name.endswith(".py") or ".dist-info/" in name:
            out.append((name, data))
            continue
        out.append((name + "c", pyc(name, data)))
    if record_name:
        record = "".join(record_line(n, d) for n, d in out) + f"{record_name},,\n"
        out.append((record_name, record.encode()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(out):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


for wheel in sorted(pathlib.Path("/in").glob("*.whl")):
    data = rewrite(wheel)
    pathlib.Path("/out", wheel.name).write_bytes(data)
