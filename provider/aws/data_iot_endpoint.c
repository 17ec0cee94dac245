/*
 * data_iot_endpoint.c - data "aws_iot_endpoint": DescribeEndpoint.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws.h"
#include "client.h"
#include "codec.h"
#include "sigv4.h"

/* "endpointType=<encoded type>", or NULL without a type; -1 on ENOMEM. */
static int build_query(const char *type, char **out)
{
	struct tf_bytes q = { 0 };
	*out = NULL;
	if (!type)
		return 0;
	if (tf_bytes_add(&q, "endpointType=", 13) < 0 ||
	    aws_uri_encode(&q, type, strlen(type), false) < 0 || tf_bytes_add(&q, "", 0) < 0) {
		tf_bytes_release(&q);
		return -1;
	}
	*out = (char *)q.data;
	return 0;
}

/* The endpointAddress of the answer (new string), or NULL. */
static char *endpoint_address(const struct aws_response *resp)
{
	json_t *doc = json_loadb((const char *)resp->body.data, resp->body.len, 0, NULL);
	const char *addr = json_string_value(json_object_get(doc, "endpointAddress"));
	char *s = addr && *addr ? strdup(addr) : NULL;
	json_decref(doc);
	return s;
}

static int read(struct tf_ctx *c, struct tf_value *state)
{
	const struct aws_config *cfg = c->meta;
	const char *type = tf_value_get_string(state, "endpoint_type");
	char *query, *addr = NULL;
	struct aws_response resp;
	struct aws_error err;
	if (build_query(type, &query) < 0) {
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot build the request.");
		return -1;
	}
	struct aws_request req = {
		.operation = "DescribeEndpoint", .service = "iot", .region = cfg->region,
		.endpoint = cfg->iot_endpoint, .method = "GET", .path = "/endpoint", .query = query,
	};
	int rc = aws_call(cfg, &cfg->creds, c->stopping, &req, &resp, &err);
	if (rc < 0)
		aws_error_diag(c->diags, type ? "endpoint_type" : NULL, &req, &err);
	else if (!(addr = endpoint_address(&resp)))
		tf_diag_error_at(c->diags, NULL, "Invalid AWS answer",
				 "iot DescribeEndpoint answered without an endpointAddress.");
	else if (aws_set_string(state, "endpoint_address", addr) < 0 ||
		 aws_set_string(state, "id", addr) < 0)
		tf_diag_error_at(c->diags, NULL, "Out of memory", "Cannot store the endpoint.");
	if (rc == 0)
		aws_response_release(&resp);
	aws_error_release(&err);
	free(query);
	rc = tf_diags_has_errors(c->diags) ? -1 : 0;
	free(addr);
	return rc;
}

const struct tf_data_source aws_iot_endpoint_data_source = {
	.name = "aws_iot_endpoint",
	.read = read,
};
