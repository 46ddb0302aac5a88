"""Masterminds/sprig v3 generic functions (minus ``env``/``expandenv``) as Argo exposes them: ``sprig.<fn>``.

Pure: standard library only. Like sprig, most functions return a zero value instead of failing.
Called through ``argoctl.expr.functions`` by the expr-lang evaluator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from argoctl.expr.exprlang.errors import guarded
from argoctl.expr.sprig.strings import STRING_FUNCTIONS
from argoctl.expr.sprig.values import VALUE_FUNCTIONS

SPRIG_FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: guarded(name, fn) for name, fn in {**STRING_FUNCTIONS, **VALUE_FUNCTIONS}.items()
}
# Left out: env/expandenv (Argo removes them), getHostByName (network), and the crypto helpers that need
# libraries outside the standard library (bcrypt, htpasswd, genPrivateKey, derivePassword, buildCustomCert,
# genCA, genCAWithKey, genSelfSignedCert, genSelfSignedCertWithKey, genSignedCert, genSignedCertWithKey,
# encryptAES, decryptAES).
LEFT_OUT = ("env", "expandenv", "getHostByName", "bcrypt", "htpasswd", "genPrivateKey", "derivePassword",
            "buildCustomCert", "genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey",
            "genSignedCert", "genSignedCertWithKey", "encryptAES", "decryptAES")
