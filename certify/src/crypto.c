/* crypto.c: SHA-256 and Ed25519 through libcrypto's EVP: the tested implementation every system has, no crypto of our own. */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* errorf with libcrypto's own reason for the last failure appended. */
static void __attribute__((format(printf, 1, 2))) ssl_errorf(const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	unsigned long e = ERR_get_error();
	ERR_clear_error();
	char reason[256] = "no detail from libcrypto";
	if (e)
		ERR_error_string_n(e, reason, sizeof(reason));
	errorf("%s (%s)", sb.buf, reason);
	sb_free(&sb);
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

void sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned int len = 0;
	/* EVP_Digest fails only when libcrypto itself is broken (no SHA-256
	 * provider): nothing certify could report usefully per call. */
	if (!EVP_Digest(data, n, md, &len, EVP_sha256(), NULL) || len != sizeof(md)) {
		ssl_errorf("libcrypto cannot compute SHA-256");
		abort();
	}
	to_hex(md, sizeof(md), out);
}

int sha256_file(const char *path, char out[65])
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		errorf("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	unsigned char buf[65536];
	size_t n;
	while (ok && (n = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = EVP_DigestUpdate(ctx, buf, n);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	if (ok && !ferror(f))
		ok = EVP_DigestFinal_ex(ctx, md, &len) && len == 32;
	else
		ok = 0;
	EVP_MD_CTX_free(ctx);
	fclose(f);
	if (!ok) {
		errorf("cannot hash %s", path);
		return -1;
	}
	to_hex(md, len, out);
	return 0;
}

/* A new file for a key, never over an existing one (O_EXCL). */
static FILE *create_key_file(const char *path, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			errorf("%s exists: certify never overwrites a key; remove it or choose another name", path);
		else
			errorf("cannot create %s: %s", path, strerror(errno));
		return NULL;
	}
	/* The umask may have taken bits away, never added: set exactly. */
	fchmod(fd, mode);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		errorf("cannot write %s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

static int close_key_file(FILE *f, const char *path, bool ok)
{
	if (ferror(f) | (fclose(f) != 0)) {
		errorf("writing %s failed: %s", path, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(path);
	return ok ? 0 : -1;
}

int ed25519_keygen(const char *priv_path, const char *pub_path, char fingerprint[KEY_FINGERPRINT_LEN])
{
	/* Check both names before writing either, so a refusal leaves nothing. */
	if (access(priv_path, F_OK) == 0 || access(pub_path, F_OK) == 0) {
		errorf("%s exists: certify never overwrites a key; remove it or choose another name",
		       access(priv_path, F_OK) == 0 ? priv_path : pub_path);
		return -1;
	}
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	if (!key) {
		ssl_errorf("cannot make an Ed25519 key");
		return -1;
	}
	int rc = -1;
	FILE *f = create_key_file(priv_path, 0600);
	if (!f)
		goto out;
	bool ok = PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) == 1;
	if (!ok)
		ssl_errorf("cannot write the private key to %s", priv_path);
	if (close_key_file(f, priv_path, ok))
		goto out;
	f = create_key_file(pub_path, 0644);
	if (!f) {
		unlink(priv_path);
		goto out;
	}
	ok = PEM_write_PUBKEY(f, key) == 1;
	if (!ok)
		ssl_errorf("cannot write the public key to %s", pub_path);
	if (close_key_file(f, pub_path, ok)) {
		unlink(priv_path);
		goto out;
	}
	ed25519_fingerprint(key, fingerprint);
	rc = 0;
out:
	EVP_PKEY_free(key);
	return rc;
}

static EVP_PKEY *check_ed25519(EVP_PKEY *key, const char *what, const char *kind)
{
	if (key && EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
		errorf("%s is a %s %s key, not Ed25519: make one with `certify keygen`", what,
		       str_or(EVP_PKEY_get0_type_name(key), "non-Ed25519"), kind);
		EVP_PKEY_free(key);
		return NULL;
	}
	return key;
}

EVP_PKEY *ed25519_load_private(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		errorf("cannot read the signing key %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
		warnf("the signing key %s can be read by others (mode %03o): chmod 600 it", path,
		      (unsigned)(st.st_mode & 0777));
	EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!key) {
		ssl_errorf("%s is not a PEM private key: make one with `certify keygen`", path);
		return NULL;
	}
	return check_ed25519(key, path, "private");
}

EVP_PKEY *ed25519_public_from_pem(const char *pem, size_t n, const char *what)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)n);
	EVP_PKEY *key = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
	BIO_free(bio);
	if (!key) {
		ssl_errorf("%s is not a PEM public key", what);
		return NULL;
	}
	return check_ed25519(key, what, "public");
}

EVP_PKEY *ed25519_load_public(const char *path)
{
	size_t n;
	char *text = read_file(path, &n);
	if (!text) {
		errorf("cannot read the public key %s: %s", path, strerror(errno));
		return NULL;
	}
	EVP_PKEY *key = ed25519_public_from_pem(text, n, path);
	free(text);
	return key;
}

char *ed25519_public_pem(EVP_PKEY *key, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio || PEM_write_bio_PUBKEY(bio, key) != 1) {
		ssl_errorf("cannot write a public key");
		abort();
	}
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	char *copy = xstrndup(data, (size_t)n);
	BIO_free(bio);
	*len = (size_t)n;
	return copy;
}

static void raw_public(EVP_PKEY *key, unsigned char raw[32])
{
	size_t n = 32;
	if (EVP_PKEY_get_raw_public_key(key, raw, &n) != 1 || n != 32) {
		ssl_errorf("cannot read an Ed25519 public key");
		abort();
	}
}

void ed25519_fingerprint(EVP_PKEY *key, char out[KEY_FINGERPRINT_LEN])
{
	unsigned char raw[32];
	raw_public(key, raw);
	memcpy(out, "SHA256:", 7);
	sha256_hex(raw, sizeof(raw), out + 7);
}

bool ed25519_same_public(EVP_PKEY *a, EVP_PKEY *b)
{
	unsigned char ra[32], rb[32];
	raw_public(a, ra);
	raw_public(b, rb);
	return memcmp(ra, rb, sizeof(ra)) == 0;
}

int ed25519_sign(EVP_PKEY *key, const void *msg, size_t n, unsigned char sig[ED25519_SIG_LEN])
{
	/* Ed25519 hashes internally (PureEdDSA): no digest is named, and the
	 * message goes in whole through the one-shot call. */
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t len = ED25519_SIG_LEN;
	int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) == 1 &&
		 EVP_DigestSign(ctx, sig, &len, msg, n) == 1 && len == ED25519_SIG_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		ssl_errorf("cannot sign");
		return -1;
	}
	return 0;
}

bool ed25519_verify(EVP_PKEY *key, const void *msg, size_t n, const unsigned char *sig, size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && sig_len == ED25519_SIG_LEN && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key) == 1 &&
		  EVP_DigestVerify(ctx, sig, sig_len, msg, n) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ok;
}
