/* crypto.h: SHA-256 of buffers and files, Ed25519 keys and signatures, all through OpenSSL's EVP interface. */
#ifndef CERTIFY_CRYPTO_H
#define CERTIFY_CRYPTO_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

#define ED25519_SIG_LEN 64
/* "SHA256:" and 64 hex digits. */
#define KEY_FINGERPRINT_LEN 72

/* SHA-256 of n bytes as 64 lower-case hex digits. */
void sha256_hex(const void *data, size_t n, char out[65]);
/* SHA-256 of a file as 64 hex digits; -1 with a message on error. */
int sha256_file(const char *path, char out[65]);

/* A new Ed25519 key pair: the private key (PKCS#8 PEM, mode 0600) to
 * priv_path, the public key (SubjectPublicKeyInfo PEM) to pub_path. Refuses
 * to overwrite either file. -1 with a message on failure. */
int ed25519_keygen(const char *priv_path, const char *pub_path, char fingerprint[KEY_FINGERPRINT_LEN]);

/* Keys from PEM files or text; NULL with a message naming the file (what)
 * and the problem (unreadable, not PEM, not Ed25519). */
EVP_PKEY *ed25519_load_private(const char *path);
EVP_PKEY *ed25519_load_public(const char *path);
EVP_PKEY *ed25519_public_from_pem(const char *pem, size_t n, const char *what);

/* The public half as PEM text (caller frees). */
char *ed25519_public_pem(EVP_PKEY *key, size_t *len);
/* "SHA256:" + hex SHA-256 of the 32-byte raw public key: the name of a key
 * in statements and messages. */
void ed25519_fingerprint(EVP_PKEY *key, char out[KEY_FINGERPRINT_LEN]);
/* Do two keys have the same public half? */
bool ed25519_same_public(EVP_PKEY *a, EVP_PKEY *b);

int ed25519_sign(EVP_PKEY *key, const void *msg, size_t n, unsigned char sig[ED25519_SIG_LEN]);
bool ed25519_verify(EVP_PKEY *key, const void *msg, size_t n, const unsigned char *sig, size_t sig_len);

#endif
