/* The libsrtp 2 side of bench/srtp.mjs: the same loop (one session, packets of one size, in place)
 * timed in C, so Vouch's figures have a same-run reference.
 * Usage: libsrtp-bench <suite> <size> <protect|unprotect> <packets>; prints packets per second.
 * Suites: AES_CM_128_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_32 AES_256_CM_HMAC_SHA1_80
 *         AES_256_CM_HMAC_SHA1_32 AEAD_AES_128_GCM AEAD_AES_256_GCM */
#include <srtp2/srtp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int set_policy(srtp_crypto_policy_t *p, const char *suite) {
  if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_80")) srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p);
  else if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_32")) srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(p);
  else if (!strcmp(suite, "AES_256_CM_HMAC_SHA1_80")) srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(p);
  else if (!strcmp(suite, "AES_256_CM_HMAC_SHA1_32")) srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(p);
  else if (!strcmp(suite, "AEAD_AES_128_GCM")) srtp_crypto_policy_set_aes_gcm_128_16_auth(p);
  else if (!strcmp(suite, "AEAD_AES_256_GCM")) srtp_crypto_policy_set_aes_gcm_256_16_auth(p);
  else return -1;
  return 0;
}

static srtp_t make_session(const char *suite, int inbound, unsigned char *key) {
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  if (set_policy(&policy.rtp, suite) || set_policy(&policy.rtcp, suite)) return NULL;
  policy.ssrc.type = inbound ? ssrc_any_inbound : ssrc_any_outbound;
  policy.key = key;
  policy.window_size = 128;
  srtp_t s = NULL;
  if (srtp_create(&s, &policy) != srtp_err_status_ok) return NULL;
  return s;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void fill_rtp(unsigned char *p, int size, uint16_t seq) {
  memset(p, 0xab, size);
  p[0] = 0x80; p[1] = 0x60;
  p[2] = seq >> 8; p[3] = seq & 0xff;
  p[4] = 0; p[5] = 0; p[6] = 0x12; p[7] = 0x34;
  p[8] = 0xca; p[9] = 0xfe; p[10] = 0xba; p[11] = 0xbe;
}

int main(int argc, char **argv) {
  if (argc != 5) { fprintf(stderr, "usage: %s suite size protect|unprotect packets\n", argv[0]); return 2; }
  const char *suite = argv[1];
  int size = atoi(argv[2]);
  int unprotect = !strcmp(argv[3], "unprotect");
  long packets = atol(argv[4]);
  unsigned char key[46];
  for (int i = 0; i < 46; i++) key[i] = (unsigned char)(i * 7 + 1);
  if (srtp_init() != srtp_err_status_ok) return 1;
  srtp_t tx = make_session(suite, 0, key);
  if (!tx) { fprintf(stderr, "bad suite\n"); return 2; }
  double elapsed = 0;
  if (!unprotect) {
    unsigned char *buf = malloc(size + 64);
    double t0 = now();
    for (long i = 0; i < packets; i++) {
      fill_rtp(buf, 12, (uint16_t)i);
      int len = size;
      if (srtp_protect(tx, buf, &len) != srtp_err_status_ok) { fprintf(stderr, "protect failed\n"); return 1; }
    }
    elapsed = now() - t0;
  } else {
    /* Unprotect batches of distinct packets protected beforehand (a replayed packet would fail). */
    const int batch = 4096;
    unsigned char *bufs = malloc((size_t)batch * (size + 64));
    int *lens = malloc(sizeof(int) * batch);
    srtp_t rx = make_session(suite, 1, key);
    long done = 0;
    uint32_t seq = 0;
    while (done < packets) {
      for (int j = 0; j < batch; j++) {
        unsigned char *p = bufs + (size_t)j * (size + 64);
        fill_rtp(p, size, (uint16_t)seq++);
        lens[j] = size;
        if (srtp_protect(tx, p, &lens[j]) != srtp_err_status_ok) return 1;
      }
      double t0 = now();
      for (int j = 0; j < batch; j++) {
        if (srtp_unprotect(rx, bufs + (size_t)j * (size + 64), &lens[j]) != srtp_err_status_ok) {
          fprintf(stderr, "unprotect failed\n");
          return 1;
        }
      }
      elapsed += now() - t0;
      done += batch;
    }
    packets = done;
  }
  printf("%.0f\n", packets / elapsed);
  return 0;
}
