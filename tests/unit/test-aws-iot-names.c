/*
 * test-aws-iot-names.c - the IoT layer's shared checks: thing names,
 * principals (ARN or Cognito identity id), and settling a half-read state.
 */
#include <stdbool.h>

#include "provider/aws/iot.h"
#include "test.h"

TEST_IMPL(aws_iot_names)
{
	static const struct {
		const char *name;
		bool ok;
	} names[] = {
		{ "dev-1", true }, { "a:b_c-D9", true }, { "", false }, { "dev 1", false },
		{ "dev/1", false }, { "dév", false }, { "x.y", false },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (iot_thing_name_valid(names[i].name) != names[i].ok)
			TEST_FAIL_("iot_thing_name_valid(\"%s\") should be %d", names[i].name,
				   names[i].ok);

	static const struct {
		const char *principal;
		bool ok;
	} principals[] = {
		{ "arn:aws:iot:eu-west-1:123456789012:cert/abcdef", true },
		{ "arn:aws-cn:iot:cn-north-1:123456789012:thinggroup/g", true },
		{ "eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", true },
		{ "us-gov-west-1:0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0", true },
		{ "arn:aws:iot", false },
		{ "ARN:aws:iot:eu-west-1:123456789012:cert/x", false },
		{ "my-cert", false },
		{ "", false },
		{ ":0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", false },
		{ "nowhere:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", false },
		{ "eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f", false },
		{ "eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f00", false },
		{ "eu-west-1:0f1e2d3c_4b5a-6978-8796-a5b4c3d2e1f0", false },
		{ "eu-west-1:0g1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", false },
		{ "eu-west-1:", false },
		{ "a-very-long-region-name-that-goes-on-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", false },
	};
	for (size_t i = 0; i < sizeof(principals) / sizeof(principals[0]); i++)
		if (iot_principal_valid(principals[i].principal) != principals[i].ok)
			TEST_FAIL_("iot_principal_valid(\"%s\") should be %d",
				   principals[i].principal, principals[i].ok);
	return 0;
}

TEST_IMPL(aws_iot_state_settle)
{
	struct tf_value *state = tf_value_new_collection(TF_OBJECT);
	ASSERT_NOT_NULL(state);
	ASSERT(tf_value_set(state, "arn", tf_value_new_string("arn:x")) == 0);
	ASSERT(tf_value_set(state, "version", tf_value_new_unknown()) == 0);
	ASSERT(tf_value_set(state, "id", tf_value_new_unknown()) == 0);
	ASSERT(!tf_value_is_known(state));
	iot_state_settle(state);
	ASSERT(tf_value_is_known(state));
	ASSERT(tf_value_is_null(tf_value_get(state, "version")));
	ASSERT(tf_value_is_null(tf_value_get(state, "id")));
	ASSERT_STR_EQ(tf_value_get_string(state, "arn"), "arn:x");
	tf_value_free(state);
	iot_state_settle(NULL);
	return 0;
}
