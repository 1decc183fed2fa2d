# SPDX-License-Identifier: Apache-2.0
#
# Offline IODEF v2 validation for the integration suite (no tests of its
# own): a copy of ../shared/data/iodef/iodef-2.0.xsd whose four imports
# (xmldsig, iodef-enum, iodef-sci, xml.xsd) point at the stand-in schemas
# of ../shared/data/iodef/validation-stubs/, and `xmllint --noout --nonet
# --schema` (Debian libxml2-utils) against it (standards.md 3.2).
import atexit
import os
import re
import shutil
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
IODEF_DIR = os.path.normpath(os.path.join(REPO, "..", "shared", "data", "iodef"))
XSD = os.path.join(IODEF_DIR, "iodef-2.0.xsd")
STUBS = os.path.join(IODEF_DIR, "validation-stubs")

# namespace of each xs:import -> its stand-in
STUB_FOR = {
    "http://www.w3.org/2000/09/xmldsig#": "ds.xsd",
    "urn:ietf:params:xml:ns:iodef-enum-1.0": "enum.xsd",
    "urn:ietf:params:xml:ns:iodef-sci-1.0": "sci.xsd",
    "http://www.w3.org/XML/1998/namespace": "xml.xsd",
}

_schema = [None]


def have_data():
    return os.path.isfile(XSD) and os.path.isdir(STUBS)


def have_xmllint():
    return shutil.which("xmllint") is not None


def skip_reason():
    """Why IODEF validation cannot run here, or None."""
    if not have_data():
        return "no IODEF data in %s (../shared/data absent)" % IODEF_DIR
    if not have_xmllint():
        return "xmllint is not installed (Debian libxml2-utils)"
    return None


def local_schema():
    """The path of the patched copy of iodef-2.0.xsd (made once)."""
    if _schema[0] and os.path.isfile(_schema[0]):
        return _schema[0]
    with open(XSD, encoding="utf-8") as f:
        text = f.read()
    n = [0]

    def repl(m):
        stub = STUB_FOR.get(m.group(2))
        if stub is None:
            return m.group(0)
        n[0] += 1
        loc = os.path.join(STUBS, stub)
        return re.sub(r'schemaLocation\s*=\s*"[^"]*"',
                      'schemaLocation="%s"' % loc, m.group(0))

    text = re.sub(r'<xs:import\s+namespace\s*=\s*"(([^"]*))"[^>]*/>', repl, text)
    if n[0] != 4:
        raise AssertionError("expected 4 xs:import in %s, patched %d" % (XSD, n[0]))
    d = tempfile.mkdtemp(prefix="cirt-iodef-xsd-")
    path = os.path.join(d, "iodef-2.0.xsd")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    _schema[0] = path
    atexit.register(shutil.rmtree, d, True)
    return path


def validate(path):
    """(ok, xmllint's output) for the file at path."""
    p = subprocess.run(["xmllint", "--noout", "--nonet", "--schema",
                        local_schema(), path],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    out = (p.stdout + p.stderr).decode("utf-8", "replace")
    return p.returncode == 0, out


def validate_bytes(data, tmpdir, name="doc.xml"):
    path = os.path.join(tmpdir, name)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    return validate(path)
