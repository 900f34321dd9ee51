/*
 * rsa_verify.c — a Node-API addon that verifies RSASSA-PKCS1-v1_5 / SHA-256 signatures over prepared
 * 32-byte digests (RFC 8017 §8.2.2), a whole batch per call, with ONE OpenSSL verify context per
 * imported public key.
 *
 * Why: node:crypto (Node 20, OpenSSL 3) builds a fresh EVP_PKEY_CTX for every `crypto.verify` /
 * `publicDecrypt` call — provider and name-map look-ups, Montgomery set-up, a result buffer — where
 * `openssl speed rsa2048` reuses one context for its whole loop. That per-call set-up held the
 * pool's verification at ≈0.7× `openssl speed` (bench/README.md, Crypto). This addon does what
 * `openssl speed` does: EVP_PKEY_verify_init once per key, then EVP_PKEY_verify per signature.
 *
 * OpenSSL APIs: d2i_PUBKEY (SubjectPublicKeyInfo DER), EVP_PKEY_get_base_id (RSA only),
 * EVP_PKEY_get_size, EVP_PKEY_CTX_new, EVP_PKEY_verify_init, EVP_PKEY_CTX_set_rsa_padding
 * (RSA_PKCS1_PADDING), EVP_PKEY_CTX_set_signature_md (EVP_sha256: the DigestInfo is re-encoded and
 * compared in full, as RSA_verify does), EVP_PKEY_verify, ERR_clear_error.
 *
 * Built with Node's own OpenSSL headers (/usr/include/node/openssl) and no -lcrypto: the symbols
 * resolve against the `node` binary, which exports them (scripts/build-native.mjs). Loaded and
 * checked by sim/crypto/native-rsa.ts, which falls back to node:crypto when the addon is absent.
 *
 * Safety: every length is checked here again (the JS side checks first): the key is at most
 * MAX_SPKI bytes and must be RSA with no trailing bytes; digests are exactly 32 bytes each,
 * signatures exactly the modulus size each, the counts agree, products cannot overflow. Bad
 * arguments throw a JS Error with a `code` (E_NATIVE_RSA_ARGS, E_NATIVE_RSA_KEY); a signature that
 * does not verify is a 0 verdict, and the OpenSSL error queue is cleared after every failure. The
 * key and its context are freed by a finalizer when the JS key object is collected. A key object
 * belongs to the thread (Node environment) that imported it.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdint.h>
#include <stdlib.h>

#define DIGEST_BYTES 32
#define MAX_SPKI 16384

typedef struct {
  EVP_PKEY *pkey;
  EVP_PKEY_CTX *ctx;
  size_t modulus_bytes;
} rsa_key;

/* Marks JS objects that wrap an rsa_key, so any other object is refused. */
static const napi_type_tag KEY_TAG = {0x6d796e61727361ULL, 0x7665726966793031ULL};

/* Keys alive in this process (all threads): imported and not yet finalized. */
static long live_keys = 0;

static void free_key(rsa_key *k) {
  if (!k) return;
  __atomic_sub_fetch(&live_keys, 1, __ATOMIC_RELAXED);
  EVP_PKEY_CTX_free(k->ctx);
  EVP_PKEY_free(k->pkey);
  free(k);
}

static void finalize_key(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free_key((rsa_key *)data);
}

static napi_value fail(napi_env env, const char *code, const char *message) {
  ERR_clear_error();
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, code, message);
  return NULL;
}

/* The bytes of a Uint8Array argument, or false. */
static bool uint8_arg(napi_env env, napi_value v, uint8_t **data, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  void *p = NULL;
  if (napi_get_typedarray_info(env, v, &type, len, &p, NULL, NULL) != napi_ok) return false;
  if (type != napi_uint8_array) return false;
  *data = (uint8_t *)p;
  return true;
}

/* The rsa_key behind a key object made by importKey, or NULL. */
static rsa_key *key_arg(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_object) return NULL;
  bool tagged = false;
  if (napi_check_object_type_tag(env, v, &KEY_TAG, &tagged) != napi_ok || !tagged) return NULL;
  void *k = NULL;
  if (napi_unwrap(env, v, &k) != napi_ok) return NULL;
  return (rsa_key *)k;
}

/* importKey(spki: Uint8Array): object — an RSA public key with its verify context. */
static napi_value import_key(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1)
    return fail(env, "E_NATIVE_RSA_ARGS", "importKey: expected one argument (SPKI DER as a Uint8Array)");
  uint8_t *der = NULL;
  size_t len = 0;
  if (!uint8_arg(env, argv[0], &der, &len))
    return fail(env, "E_NATIVE_RSA_ARGS", "importKey: the key must be a Uint8Array");
  if (len == 0 || len > MAX_SPKI)
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: SubjectPublicKeyInfo must be 1 to 16384 bytes");
  const unsigned char *p = der;
  EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)len);
  if (!pkey) return fail(env, "E_NATIVE_RSA_KEY", "importKey: not SubjectPublicKeyInfo DER");
  if (p != der + len) {
    EVP_PKEY_free(pkey);
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: trailing bytes after the SubjectPublicKeyInfo");
  }
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
    EVP_PKEY_free(pkey);
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: not an RSA public key");
  }
  rsa_key *k = calloc(1, sizeof *k);
  if (!k) {
    EVP_PKEY_free(pkey);
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: out of memory");
  }
  __atomic_add_fetch(&live_keys, 1, __ATOMIC_RELAXED);
  k->pkey = pkey;
  int size = EVP_PKEY_get_size(pkey);
  k->ctx = EVP_PKEY_CTX_new(pkey, NULL);
  if (size <= 0 || !k->ctx || EVP_PKEY_verify_init(k->ctx) <= 0 ||
      EVP_PKEY_CTX_set_rsa_padding(k->ctx, RSA_PKCS1_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_signature_md(k->ctx, EVP_sha256()) <= 0) {
    free_key(k);
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: OpenSSL could not set up an RSA verify context");
  }
  k->modulus_bytes = (size_t)size;
  napi_value obj;
  if (napi_create_object(env, &obj) != napi_ok) {
    free_key(k);
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: could not create the key object");
  }
  if (napi_wrap(env, obj, k, finalize_key, NULL, NULL) != napi_ok) {
    free_key(k);
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: could not wrap the key");
  }
  /* From here the finalizer owns k. */
  if (napi_type_tag_object(env, obj, &KEY_TAG) != napi_ok)
    return fail(env, "E_NATIVE_RSA_KEY", "importKey: could not tag the key");
  return obj;
}

/* modulusBytes(key): number */
static napi_value modulus_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1)
    return fail(env, "E_NATIVE_RSA_ARGS", "modulusBytes: expected one key");
  rsa_key *k = key_arg(env, argv[0]);
  if (!k) return fail(env, "E_NATIVE_RSA_ARGS", "modulusBytes: not a key made by importKey");
  napi_value out;
  napi_create_uint32(env, (uint32_t)k->modulus_bytes, &out);
  return out;
}

/*
 * verify(key, digests: Uint8Array, signatures: Uint8Array, verdicts: Uint8Array): number
 * n = verdicts.length; digest i = digests[32i, 32i+32), signature i = signatures[mi, mi+m) with m the
 * modulus size. Writes verdicts[i] = 1 (valid) or 0 and returns how many are valid.
 */
static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4)
    return fail(env, "E_NATIVE_RSA_ARGS", "verify: expected (key, digests, signatures, verdicts)");
  rsa_key *k = key_arg(env, argv[0]);
  if (!k) return fail(env, "E_NATIVE_RSA_ARGS", "verify: not a key made by importKey");
  uint8_t *dig = NULL, *sig = NULL, *out = NULL;
  size_t dlen = 0, slen = 0, n = 0;
  if (!uint8_arg(env, argv[1], &dig, &dlen) || !uint8_arg(env, argv[2], &sig, &slen) ||
      !uint8_arg(env, argv[3], &out, &n))
    return fail(env, "E_NATIVE_RSA_ARGS", "verify: digests, signatures and verdicts must be Uint8Arrays");
  const size_t m = k->modulus_bytes;
  if (n > SIZE_MAX / DIGEST_BYTES || n > SIZE_MAX / m)
    return fail(env, "E_NATIVE_RSA_ARGS", "verify: too many verdicts");
  if (dlen != n * DIGEST_BYTES)
    return fail(env, "E_NATIVE_RSA_ARGS", "verify: digests must be 32 bytes per verdict");
  if (slen != n * m)
    return fail(env, "E_NATIVE_RSA_ARGS", "verify: signatures must be the modulus size per verdict");
  size_t valid = 0;
  for (size_t i = 0; i < n; i++) {
    int r = EVP_PKEY_verify(k->ctx, sig + i * m, m, dig + i * DIGEST_BYTES, DIGEST_BYTES);
    out[i] = r == 1 ? 1 : 0;
    if (r == 1)
      valid++;
    else
      ERR_clear_error();
  }
  napi_value result;
  napi_create_double(env, (double)valid, &result);
  return result;
}

/* liveKeys(): number — keys imported and not yet freed, in this process (a leak check for tests). */
static napi_value live_keys_fn(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  napi_create_int64(env, __atomic_load_n(&live_keys, __ATOMIC_RELAXED), &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  const napi_property_descriptor props[] = {
      {"importKey", NULL, import_key, NULL, NULL, NULL, napi_enumerable, NULL},
      {"modulusBytes", NULL, modulus_bytes, NULL, NULL, NULL, napi_enumerable, NULL},
      {"verify", NULL, verify, NULL, NULL, NULL, napi_enumerable, NULL},
      {"liveKeys", NULL, live_keys_fn, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
