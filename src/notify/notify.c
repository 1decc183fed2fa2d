/* SPDX-License-Identifier: Apache-2.0
 * Copyright (c) 2026 cirtkit contributors
 *
 * Digests (notify.h): choosing what is due, recording it, rendering
 * (notify/render.h), building and sending the message (notify/mail.h),
 * and recording the outcome.
 */
#include "notify/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/org.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/time.h"
#include "core/mem.h"
#include "core/tlp.h"
#include "core/uuid.h"
#include "feed/events.h"
#include "notify/mail.h"
#include "notify/render.h"

#include "core/banned.h"

static const struct cirt_sql q_contacts = {
	"SELECT c.id, c.org_id, o.name, c.email, c.lang, c.frequency, "
	"c.format, c.tlp_max, (SELECT MAX(n.created_at) FROM notifications n "
	"WHERE n.contact_id = c.id) FROM contacts c JOIN orgs o ON o.id = "
	"c.org_id WHERE o.kind = 'constituent' AND c.frequency <> 'never' "
	"ORDER BY c.id",
	NULL};
static const struct cirt_sql q_due_events = {
	"SELECT " CIRT_EVENT_COLS " FROM events e LEFT JOIN orgs o ON o.id = "
	"e.org_id WHERE e.org_id = ? AND e.tlp <= ? AND NOT EXISTS (SELECT 1 "
	"FROM notification_events ne WHERE ne.contact_id = ? AND "
	"ne.event_id = e.id) ORDER BY e.id LIMIT ?",
	NULL};
static const struct cirt_sql q_digest_events = {
	"SELECT " CIRT_EVENT_COLS " FROM notification_events ne JOIN events e "
	"ON e.id = ne.event_id LEFT JOIN orgs o ON o.id = e.org_id WHERE "
	"ne.notification_id = ? ORDER BY e.id",
	NULL};
static const struct cirt_sql q_insert = {
	"INSERT INTO notifications (contact_id, org_id, recipient, format, "
	"lang, events, message_id, status, attempts, next_try, error, "
	"created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, 0, '', ?) "
	"RETURNING id",
	NULL};
static const struct cirt_sql q_link = {
	"INSERT INTO notification_events (contact_id, event_id, "
	"notification_id) VALUES (?, ?, ?)",
	NULL};
static const struct cirt_sql q_retry = {
	"SELECT n.id, n.contact_id, n.org_id, o.name, n.recipient, n.lang, "
	"n.format, c.tlp_max, n.message_id, n.attempts FROM notifications n "
	"JOIN orgs o ON o.id = n.org_id JOIN contacts c ON c.id = "
	"n.contact_id WHERE (n.status = 'failed' AND n.next_try <= ?) OR "
	"(n.status = 'pending' AND n.created_at < ?) ORDER BY n.id",
	NULL};
static const struct cirt_sql q_done = {
	"UPDATE notifications SET status = ?, attempts = ?, next_try = ?, "
	"error = ?, sent_at = ? WHERE id = ?",
	NULL};
static const struct cirt_sql q_log = {
	"SELECT n.id, o.name, n.recipient, n.format, n.lang, n.events, "
	"n.message_id, n.status, n.attempts, n.error, n.created_at, "
	"n.sent_at FROM notifications n JOIN orgs o ON o.id = n.org_id WHERE "
	"(? = '' OR o.name = ?) ORDER BY n.id DESC LIMIT ?",
	NULL};

/* One digest being sent. */
struct digest {
	int64_t id, contact, org;
	char org_name[CIRT_ORG_NAME_MAX + 1];
	char email[256];
	char lang[40];
	char format[8];
	int tlp_max;
	char message_id[CIRT_MAIL_MSGID_MAX + 1];
	int attempts;
	json_t *events;
};

static int read_events(struct cirt_db *db, const struct cirt_sql *q,
		       const int64_t *binds, size_t nbinds, json_t *out,
		       struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, q, d);
	int rc;

	if (!s)
		return d->code;
	for (size_t i = 0; i < nbinds; i++)
		cirt_stmt_bind_i64(s, (int)i + 1, binds[i]);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW)
		json_array_append_new(out, cirt_event_row_json(s, 0));
	cirt_stmt_reset(s);
	return rc < 0 ? rc : 0;
}

/* The sender: mail_from, or cirt@team_domain. */
static void sender(const struct cirt_config *cfg, char *out, size_t n)
{
	if (cfg->mail_from[0])
		snprintf(out, n, "%s", cfg->mail_from);
	else
		snprintf(out, n, "cirt@%s", cfg->team_domain);
}

/* Counts per classification, most first, for the text. */
static size_t count_classes(const json_t *events, struct cirt_notify_count *c,
			    char (*names)[96], size_t max, int64_t *from,
			    int64_t *to)
{
	size_t n = 0, i;
	json_t *e;

	*from = *to = 0;
	json_array_foreach (events, i, e) {
		const char *cls = json_string_value(
			json_object_get(e, "classification.taxonomy"));
		const char *type = json_string_value(
			json_object_get(e, "classification.type"));
		const char *t = json_string_value(
			json_object_get(e, "time.observation"));
		char key[96];
		size_t k;

		if (t) {
			int64_t us;

			if (cirt_time_parse_day(t, &us, NULL) == 0) {
				if (*from == 0 || us < *from)
					*from = us;
				if (us > *to)
					*to = us;
			}
		}
		snprintf(key, sizeof key, "%s:%s", cls ? cls : "",
			 type ? type : "");
		for (k = 0; k < n; k++)
			if (strcmp(names[k], key) == 0)
				break;
		if (k == n) {
			if (n == max)
				continue;
			snprintf(names[n], sizeof names[n], "%s", key);
			c[n].classification = names[n];
			c[n].count = 0;
			n++;
		}
		c[k].count++;
	}
	/* Most first; a handful of entries. */
	for (size_t a = 0; a < n; a++)
		for (size_t b = a + 1; b < n; b++)
			if (c[b].count > c[a].count) {
				struct cirt_notify_count t = c[a];

				c[a] = c[b];
				c[b] = t;
			}
	return n;
}

/* Render, build and send dg; 0 or the error of the step that failed. */
static int send_digest(struct cirt_db *db, const struct cirt_notify_env *env,
		       struct digest *dg, struct cirt_diag *d)
{
	const struct cirt_config *cfg = env->cfg;
	struct cirt_notify_count counts[32];
	char names[32][96], from[256];
	struct cirt_buf att, subject, body, msg;
	struct cirt_notify_text_ctx tctx;
	struct cirt_notify_ctx ctx;
	enum cirt_notify_format fmt;
	struct cirt_org team;
	const char *mime = NULL, *file = NULL;
	int rc;

	rc = cirt_org_team(db, &team, d);
	if (rc < 0)
		return rc;
	if (!cfg->smtp[0])
		return cirt_diag_set(d, -CIRT_EINVAL, "smtp",
				     "no SMTP server is configured: set smtp "
				     "in the configuration or CIRTKIT_SMTP, "
				     "such as smtp://127.0.0.1:25");
	if (cirt_notify_format_parse(dg->format, &fmt) < 0)
		fmt = CIRT_NOTIFY_CSV;
	sender(cfg, from, sizeof from);
	memset(&ctx, 0, sizeof ctx);
	ctx.team_org = team.name;
	ctx.team_email = from;
	ctx.team_domain = cfg->team_domain;
	ctx.lang = dg->lang;
	ctx.tlp = CIRT_TLP_NONE;
	cirt_buf_init(&att, (size_t)64 << 20);
	cirt_buf_init(&subject, 4096);
	cirt_buf_init(&body, (size_t)1 << 20);
	cirt_buf_init(&msg, (size_t)96 << 20);
	rc = cirt_notify_render(fmt, dg->events, &ctx, &att, &mime, &file, d);
	if (rc == 0) {
		int64_t tlp = CIRT_TLP_CLEAR;
		json_t *e;
		size_t i;

		json_array_foreach (dg->events, i, e) {
			enum cirt_tlp t;

			if (cirt_tlp_parse(json_string_value(
						   json_object_get(e, "tlp")),
					   &t) == 0 &&
			    t > tlp)
				tlp = t;
		}
		memset(&tctx, 0, sizeof tctx);
		tctx.team = team.name;
		tctx.constituent = dg->org_name;
		tctx.nevents = json_array_size(dg->events);
		tctx.counts = counts;
		tctx.ncounts = count_classes(dg->events, counts, names, 32,
					     &tctx.from, &tctx.to);
		tctx.tlp = (enum cirt_tlp)tlp;
		tctx.format = fmt;
		tctx.reply_to = from;
		rc = cirt_notify_text(dg->lang, &tctx, &subject, &body, d);
	}
	if (rc == 0) {
		const char *to[1] = {dg->email};
		struct cirt_mail_attachment a = {file, mime, att.data, att.len};
		struct cirt_mail_msg m;
		char id[CIRT_MAIL_MSGID_MAX + 1];

		memset(&m, 0, sizeof m);
		m.from = from;
		m.from_name = team.name;
		m.to = to;
		m.nto = 1;
		m.reply_to = from;
		m.subject = cirt_buf_str(&subject);
		m.body = cirt_buf_str(&body);
		m.lang = cirt_notify_lang(dg->lang);
		m.attachment = &a;
		m.message_id = dg->message_id;
		rc = cirt_mail_build(&m, &msg, id, d);
	}
	if (rc == 0) {
		const char *rcpt[1] = {dg->email};
		struct cirt_mail_smtp smtp;

		memset(&smtp, 0, sizeof smtp);
		smtp.url = cfg->smtp;
		smtp.user = cfg->smtp_user[0] ? cfg->smtp_user : NULL;
		smtp.password =
			cfg->smtp_password[0] ? cfg->smtp_password : NULL;
		rc = cirt_mail_send(&smtp, from, rcpt, 1, msg.data, msg.len, d);
	}
	cirt_buf_release(&att);
	cirt_buf_release(&subject);
	cirt_buf_release(&body);
	cirt_buf_release(&msg);
	return rc;
}

/* Record the outcome of dg's attempt. */
static int finish(struct cirt_db *db, struct digest *dg, int rc_send,
		  const struct cirt_diag *why, struct cirt_notify_report *r,
		  struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	int attempts = dg->attempts + 1;
	const char *status = "sent";
	int64_t next = 0;
	struct cirt_stmt *s;
	int rc;

	if (rc_send < 0) {
		/* 5 minutes, doubling, at most 6 hours. */
		int64_t wait = (int64_t)300
			       << (attempts - 1 < 7 ? attempts - 1 : 7);

		if (wait > 6 * 3600)
			wait = 6 * 3600;
		status = attempts >= CIRT_NOTIFY_ATTEMPTS ? "abandoned"
							  : "failed";
		next = now + wait * 1000000;
		r->failed++;
	} else {
		r->sent++;
		r->events += json_array_size(dg->events);
	}
	json_array_append_new(
		r->digests,
		json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s}", "id",
			  (json_int_t)dg->id, "constituent", dg->org_name,
			  "recipient", dg->email, "format", dg->format,
			  "events", (json_int_t)json_array_size(dg->events),
			  "message_id", dg->message_id, "status", status,
			  "error", rc_send < 0 ? why->message : ""));
	rc = cirt_db_begin(db, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_done, d);
	rc = s ? 0 : d->code;
	if (s) {
		cirt_stmt_bind_str(s, 1, status);
		cirt_stmt_bind_i64(s, 2, attempts);
		cirt_stmt_bind_i64(s, 3, next);
		cirt_stmt_bind_str(s, 4, rc_send < 0 ? why->message : "");
		if (rc_send < 0)
			cirt_stmt_bind_null(s, 5);
		else
			cirt_stmt_bind_i64(s, 5, now);
		cirt_stmt_bind_i64(s, 6, dg->id);
		rc = cirt_stmt_exec(s, d);
	}
	return cirt_db_end(db, rc, d);
}

static int attempt(struct cirt_db *db, const struct cirt_notify_env *env,
		   struct digest *dg, struct cirt_notify_report *r,
		   struct cirt_diag *d)
{
	struct cirt_diag why;
	int rc;

	cirt_diag_init(&why);
	rc = send_digest(db, env, dg, &why);
	return finish(db, dg, rc, &why, r, d);
}

/* Record a new digest of the events in dg->events. */
static int record(struct cirt_db *db, const struct cirt_notify_env *env,
		  struct digest *dg, struct cirt_diag *d)
{
	char uuid[CIRT_UUID_LEN + 1];
	struct cirt_stmt *s;
	json_t *e;
	size_t i;
	int rc = cirt_db_begin(db, d);

	if (rc < 0)
		return rc;
	cirt_uuid4(uuid);
	snprintf(dg->message_id, sizeof dg->message_id, "<%s@%s>", uuid,
		 env->cfg->team_domain);
	s = cirt_db_stmt(db, &q_insert, d);
	rc = s ? 0 : d->code;
	if (s) {
		cirt_stmt_bind_i64(s, 1, dg->contact);
		cirt_stmt_bind_i64(s, 2, dg->org);
		cirt_stmt_bind_str(s, 3, dg->email);
		cirt_stmt_bind_str(s, 4, dg->format);
		cirt_stmt_bind_str(s, 5, dg->lang);
		cirt_stmt_bind_i64(s, 6, (int64_t)json_array_size(dg->events));
		cirt_stmt_bind_str(s, 7, dg->message_id);
		cirt_stmt_bind_i64(s, 8, cirt_time_now_us());
		rc = cirt_stmt_step(s, d);
		if (rc == CIRT_DB_ROW) {
			dg->id = cirt_stmt_i64(s, 0);
			rc = 0;
		}
		cirt_stmt_reset(s);
	}
	json_array_foreach (dg->events, i, e) {
		if (rc < 0)
			break;
		s = cirt_db_stmt(db, &q_link, d);
		rc = s ? 0 : d->code;
		if (s) {
			cirt_stmt_bind_i64(s, 1, dg->contact);
			cirt_stmt_bind_i64(
				s, 2,
				json_integer_value(json_object_get(e, "id")));
			cirt_stmt_bind_i64(s, 3, dg->id);
			rc = cirt_stmt_exec(s, d);
		}
	}
	return cirt_db_end(db, rc, d);
}

static int64_t period_s(const char *frequency)
{
	if (strcmp(frequency, "daily") == 0)
		return 86400;
	if (strcmp(frequency, "weekly") == 0)
		return 7 * 86400;
	return 0;
}

static int retries(struct cirt_db *db, const struct cirt_notify_env *env,
		   struct cirt_notify_report *r, struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	struct digest *list = NULL;
	size_t n = 0, cap = 0;
	struct cirt_stmt *s = cirt_db_stmt(db, &q_retry, d);
	int rc;

	if (!s)
		return d->code;
	cirt_stmt_bind_i64(s, 1, now);
	/* A pending digest older than ten minutes was interrupted. */
	cirt_stmt_bind_i64(s, 2, now - (int64_t)600 * 1000000);
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		struct digest *dg;

		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = cirt_xrealloc(list, cap * sizeof *list);
		}
		dg = &list[n++];
		memset(dg, 0, sizeof *dg);
		dg->id = cirt_stmt_i64(s, 0);
		dg->contact = cirt_stmt_i64(s, 1);
		dg->org = cirt_stmt_i64(s, 2);
		snprintf(dg->org_name, sizeof dg->org_name, "%s",
			 cirt_stmt_text(s, 3));
		snprintf(dg->email, sizeof dg->email, "%s",
			 cirt_stmt_text(s, 4));
		snprintf(dg->lang, sizeof dg->lang, "%s", cirt_stmt_text(s, 5));
		snprintf(dg->format, sizeof dg->format, "%s",
			 cirt_stmt_text(s, 6));
		dg->tlp_max = (int)cirt_stmt_i64(s, 7);
		snprintf(dg->message_id, sizeof dg->message_id, "%s",
			 cirt_stmt_text(s, 8));
		dg->attempts = (int)cirt_stmt_i64(s, 9);
	}
	cirt_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct digest *dg = &list[i];

		dg->events = json_array();
		rc = read_events(db, &q_digest_events, &dg->id, 1, dg->events,
				 d);
		r->due++;
		if (rc == 0 && !env->dry_run)
			rc = attempt(db, env, dg, r, d);
		json_decref(dg->events);
	}
	free(list);
	return rc < 0 ? rc : 0;
}

int cirt_notify_run(struct cirt_db *db, const struct cirt_notify_env *env,
		    struct cirt_notify_report *r, struct cirt_diag *d)
{
	int64_t now = cirt_time_now_us();
	struct digest *list = NULL;
	size_t n = 0, cap = 0;
	struct cirt_stmt *s;
	int rc;

	memset(r, 0, sizeof *r);
	r->digests = json_array();
	rc = retries(db, env, r, d);
	if (rc < 0)
		return rc;
	s = cirt_db_stmt(db, &q_contacts, d);
	if (!s)
		return d->code;
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		int64_t last = cirt_stmt_i64(s, 8);
		int64_t period = period_s(cirt_stmt_text(s, 5));
		struct digest *dg;

		if (last && period && last > now - period * 1000000)
			continue; /* not yet time for the next digest */
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			list = cirt_xrealloc(list, cap * sizeof *list);
		}
		dg = &list[n++];
		memset(dg, 0, sizeof *dg);
		dg->contact = cirt_stmt_i64(s, 0);
		dg->org = cirt_stmt_i64(s, 1);
		snprintf(dg->org_name, sizeof dg->org_name, "%s",
			 cirt_stmt_text(s, 2));
		snprintf(dg->email, sizeof dg->email, "%s",
			 cirt_stmt_text(s, 3));
		snprintf(dg->lang, sizeof dg->lang, "%s", cirt_stmt_text(s, 4));
		snprintf(dg->format, sizeof dg->format, "%s",
			 cirt_stmt_text(s, 6));
		dg->tlp_max = (int)cirt_stmt_i64(s, 7);
	}
	cirt_stmt_reset(s);
	for (size_t i = 0; rc >= 0 && i < n; i++) {
		struct digest *dg = &list[i];
		int64_t binds[4] = {dg->org, dg->tlp_max, dg->contact,
				    env->cfg->notify_max};

		dg->events = json_array();
		rc = read_events(db, &q_due_events, binds, 4, dg->events, d);
		if (rc == 0 && json_array_size(dg->events) > 0) {
			r->due++;
			if (env->dry_run) {
				json_array_append_new(
					r->digests,
					json_pack("{s:s, s:s, s:s, s:I}",
						  "constituent", dg->org_name,
						  "recipient", dg->email,
						  "format", dg->format,
						  "events",
						  (json_int_t)json_array_size(
							  dg->events)));
			} else {
				rc = record(db, env, dg, d);
				if (rc == 0)
					rc = attempt(db, env, dg, r, d);
			}
		}
		json_decref(dg->events);
	}
	free(list);
	if (rc == 0 && !env->dry_run && r->due > 0) {
		json_t *detail = json_pack(
			"{s:I, s:I, s:I}", "due", (json_int_t)r->due, "sent",
			(json_int_t)r->sent, "failed", (json_int_t)r->failed);

		rc = cirt_db_begin(db, d);
		if (rc == 0)
			rc = cirt_audit_append(db, env->actor, "notify.run",
					       "notifications", detail, d);
		rc = cirt_db_end(db, rc, d);
		json_decref(detail);
	}
	return rc < 0 ? rc : 0;
}

void cirt_notify_report_release(struct cirt_notify_report *r)
{
	json_decref(r->digests);
	r->digests = NULL;
}

int cirt_notify_log(struct cirt_db *db, const char *constituent, int64_t limit,
		    json_t **out, struct cirt_diag *d)
{
	struct cirt_stmt *s = cirt_db_stmt(db, &q_log, d);
	json_t *a;
	int rc;

	*out = NULL;
	if (!s)
		return d->code;
	cirt_stmt_bind_str(s, 1, constituent);
	cirt_stmt_bind_str(s, 2, constituent);
	cirt_stmt_bind_i64(s, 3, limit);
	a = json_array();
	while ((rc = cirt_stmt_step(s, d)) == CIRT_DB_ROW) {
		json_t *o = json_pack(
			"{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I, s:s, "
			"s:o}",
			"id", (json_int_t)cirt_stmt_i64(s, 0), "constituent",
			cirt_stmt_text(s, 1), "recipient", cirt_stmt_text(s, 2),
			"format", cirt_stmt_text(s, 3), "lang",
			cirt_stmt_text(s, 4), "events",
			(json_int_t)cirt_stmt_i64(s, 5), "message_id",
			cirt_stmt_text(s, 6), "status", cirt_stmt_text(s, 7),
			"attempts", (json_int_t)cirt_stmt_i64(s, 8), "error",
			cirt_stmt_text(s, 9), "created_at",
			cirt_json_time(cirt_stmt_i64(s, 10)));

		json_object_set_new(
			o, "sent_at",
			cirt_stmt_null(s, 11)
				? json_null()
				: cirt_json_time(cirt_stmt_i64(s, 11)));
		json_array_append_new(a, o);
	}
	cirt_stmt_reset(s);
	if (rc < 0) {
		json_decref(a);
		return rc;
	}
	*out = a;
	return 0;
}
