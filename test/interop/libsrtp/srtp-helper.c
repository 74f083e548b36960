/* libsrtp 2 on the other side of Vouch's SRTP: reads one hex packet per line on stdin, protects or
 * unprotects it with one long-lived session, and writes the result as hex (or "ERR <status>").
 * Usage: srtp-helper <suite> <protect|unprotect> <rtp|rtcp> <master key+salt hex> <srtcp tag bytes> [mki hex]
 * Built by libsrtp.test.ts: gcc -O2 srtp-helper.c -lsrtp2 */
#include <srtp2/srtp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_policy(srtp_crypto_policy_t *p, const char *suite, int rtcp, int rtcp_tag) {
  int cm32 = !strcmp(suite, "AES_CM_128_HMAC_SHA1_32"), cm256_32 = !strcmp(suite, "AES_256_CM_HMAC_SHA1_32");
  if (rtcp && rtcp_tag == 10) {
    if (cm32) suite = "AES_CM_128_HMAC_SHA1_80";
    if (cm256_32) suite = "AES_256_CM_HMAC_SHA1_80";
  }
  if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_80")) srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p);
  else if (!strcmp(suite, "AES_CM_128_HMAC_SHA1_32")) srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(p);
  else if (!strcmp(suite, "AES_256_CM_HMAC_SHA1_80")) srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80(p);
  else if (!strcmp(suite, "AES_256_CM_HMAC_SHA1_32")) srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32(p);
  else if (!strcmp(suite, "AEAD_AES_128_GCM")) srtp_crypto_policy_set_aes_gcm_128_16_auth(p);
  else if (!strcmp(suite, "AEAD_AES_256_GCM")) srtp_crypto_policy_set_aes_gcm_256_16_auth(p);
  else return -1;
  return 0;
}

static int unhex(const char *s, unsigned char *out, int max) {
  int n = 0;
  while (s[0] && s[1] && n < max) {
    unsigned int b;
    if (sscanf(s, "%2x", &b) != 1) return -1;
    out[n++] = (unsigned char)b;
    s += 2;
  }
  return n;
}

int main(int argc, char **argv) {
  if (argc < 6) { fprintf(stderr, "usage\n"); return 2; }
  const char *suite = argv[1];
  int protect = !strcmp(argv[2], "protect");
  int rtcp = !strcmp(argv[3], "rtcp");
  unsigned char key[64], mki[128];
  int key_len = unhex(argv[4], key, sizeof key);
  int rtcp_tag = atoi(argv[5]);
  int mki_len = argc > 6 ? unhex(argv[6], mki, sizeof mki) : 0;
  if (srtp_init() != srtp_err_status_ok) return 1;
  srtp_policy_t policy;
  memset(&policy, 0, sizeof policy);
  if (set_policy(&policy.rtp, suite, 0, rtcp_tag) || set_policy(&policy.rtcp, suite, 1, rtcp_tag)) return 2;
  policy.ssrc.type = protect ? ssrc_any_outbound : ssrc_any_inbound;
  policy.window_size = 128;
  srtp_master_key_t master = { key, mki, (unsigned int)mki_len };
  srtp_master_key_t *keys[1] = { &master };
  if (mki_len > 0) {
    policy.keys = keys;
    policy.num_master_keys = 1;
  } else {
    policy.key = key;
  }
  (void)key_len;
  srtp_t session;
  srtp_err_status_t st = srtp_create(&session, &policy);
  if (st != srtp_err_status_ok) { fprintf(stderr, "srtp_create %d\n", st); return 1; }
  static char line[140000];
  static unsigned char buf[70000];
  while (fgets(line, sizeof line, stdin)) {
    line[strcspn(line, "\r\n")] = 0;
    int len = unhex(line, buf, 65536);
    if (len < 0) { printf("ERR parse\n"); continue; }
    if (protect && rtcp) st = mki_len ? srtp_protect_rtcp_mki(session, buf, &len, 1, 0) : srtp_protect_rtcp(session, buf, &len);
    else if (protect) st = mki_len ? srtp_protect_mki(session, buf, &len, 1, 0) : srtp_protect(session, buf, &len);
    else if (rtcp) st = srtp_unprotect_rtcp_mki(session, buf, &len, mki_len > 0);
    else st = srtp_unprotect_mki(session, buf, &len, mki_len > 0);
    if (st != srtp_err_status_ok) { printf("ERR %d\n", st); fflush(stdout); continue; }
    for (int i = 0; i < len; i++) printf("%02x", buf[i]);
    printf("\n");
  }
  srtp_dealloc(session);
  return 0;
}
