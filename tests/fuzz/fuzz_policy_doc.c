/*
 * fuzz_policy_doc.c - IAM-style policy documents: the check, the canonical
 * form and equivalence.
 *
 * Input: two documents cut at a NUL.  Properties: a document that checks
 * has a canonical form, which checks, is its own canonical form and is
 * equivalent to the document; equivalence is reflexive on documents that
 * check, and symmetric.
 */
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "provider/aws/policy_doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts p;
	fuzz_parts_split(&p, data, size, 2);
	const char *a = p.s[0], *b = p.s[1];
	char why[256];
	if (policy_doc_check(a, why, sizeof(why)) == 0) {
		char *norm = policy_doc_normalize(a);
		FUZZ_CHECK(norm);
		FUZZ_CHECK(policy_doc_check(norm, why, sizeof(why)) == 0);
		char *again = policy_doc_normalize(norm);
		FUZZ_CHECK(again && strcmp(norm, again) == 0);
		FUZZ_CHECK(policy_doc_equivalent(a, a));
		FUZZ_CHECK(policy_doc_equivalent(a, norm));
		free(again);
		free(norm);
	}
	FUZZ_CHECK(policy_doc_equivalent(a, b) == policy_doc_equivalent(b, a));
	fuzz_parts_release(&p);
	return 0;
}
