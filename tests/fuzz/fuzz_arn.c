/*
 * fuzz_arn.c - ARNs: aws_arn_parse, and the aws_arn data source that
 * reads one from configuration.  A parsed ARN's sections must put the
 * text back together.
 *
 * Input: the ARN text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider/aws/arn.h"
#include "provider/aws/aws.h"
#include "common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts p;
	fuzz_parts_split(&p, data, size, 1);
	struct aws_arn arn;
	const char *why = NULL;
	if (aws_arn_parse(p.s[0], &arn, &why) == 0) {
		char *again = NULL;
		FUZZ_CHECK(asprintf(&again, "arn:%s:%s:%s:%s:%s", arn.partition, arn.service,
				    arn.region, arn.account, arn.resource) > 0);
		FUZZ_CHECK(strcmp(again, p.s[0]) == 0);
		free(again);
		aws_arn_release(&arn);
	} else {
		FUZZ_CHECK(why);
	}

	struct fuzz_ctx f;
	fuzz_ctx_init(&f);
	struct tf_value *state = tf_value_new_collection(TF_OBJECT);
	struct tf_value *text = tf_value_new_string(p.s[0]);
	if (!state || !text || tf_value_set(state, "arn", text) < 0)
		abort();
	int rc = aws_arn_data_source.validate(&f.c, state);
	if (rc == 0)
		rc = aws_arn_data_source.read(&f.c, state);
	FUZZ_CHECK(rc == 0 || tf_diags_has_errors(&f.d));
	tf_value_free(state);
	fuzz_ctx_release(&f);
	fuzz_parts_release(&p);
	return 0;
}
