/*
 * fuzz_openssh.c - OpenSSH private keys (and the PEM keys the same input
 * takes) as tls_public_key's private_key_openssh reads them, then every
 * public output of the key (OpenSSH blob, authorized_keys line,
 * fingerprints).
 *
 * Input: the key's text.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "common.h"
#include "provider/tls/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts p;
	struct fuzz_ctx f;
	fuzz_parts_split(&p, data, size, 1);
	fuzz_ctx_init(&f);
	struct tf_value *state = tf_value_new_collection(TF_OBJECT);
	struct tf_value *text = tf_value_new_string(p.s[0]);
	struct tf_value *pem = tf_value_new_null();
	if (!state || !text || !pem || tf_value_set(state, "private_key_openssh", text) < 0 ||
	    tf_value_set(state, "private_key_pem", pem) < 0)
		abort();
	int rc = tls_public_key_data_source.read(&f.c, state);
	FUZZ_CHECK(rc == 0 || tf_diags_has_errors(&f.d));
	tf_value_free(state);
	ERR_clear_error();
	fuzz_ctx_release(&f);
	fuzz_parts_release(&p);
	return 0;
}
