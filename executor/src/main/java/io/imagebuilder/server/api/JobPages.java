package io.imagebuilder.server.api;

import io.imagebuilder.server.db.Job;
import io.imagebuilder.server.db.JobStatus;
import io.imagebuilder.server.db.JobStore;
import io.imagebuilder.server.request.ApiProblem;
import io.javalin.http.Context;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One page of the caller's jobs of a kind, newest first: ?status (repeatable), ?limit, ?cursor; the next page is
 * named by next_cursor and by a Link header.
 */
final class JobPages {

    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private JobPages() {
    }

    static void answer(Context ctx, JobStore store, String kind, Function<Job, Map<String, Object>> item) {
        String owner = ApiServer.owner(ctx);
        Set<JobStatus> known = kind.equals(Job.DEPLOYMENT) ? EnumSet.allOf(JobStatus.class) : JobStatus.OF_BUILDS;
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String s : ctx.queryParams("status")) {
            statuses.add(JobStatus.parse(s).filter(known::contains).orElseThrow(() -> ApiProblem.of(400,
                    "Invalid status", "status \"" + s + "\" is not one of " + String.join(", ",
                            known.stream().map(JobStatus::text).toList()))));
        }
        int limit = limit(ctx.queryParam("limit"));
        long before = 0;
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) before = decodeCursor(cursor);
        // one row more than the page tells whether a next page exists
        List<Job> jobs = store.list(owner, kind, statuses, limit + 1, before);
        boolean more = jobs.size() > limit;
        if (more) jobs = jobs.subList(0, limit);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Job j : jobs) items.add(item.apply(j));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        String next = more ? encodeCursor(jobs.get(jobs.size() - 1).seq()) : null;
        out.put("next_cursor", next);
        if (next != null) ctx.header("Link", nextLink(ctx, next));
        ApiServer.cacheableJson(ctx, out);
    }

    private static int limit(String l) {
        if (l == null) return DEFAULT_LIMIT;
        int limit;
        try {
            limit = Integer.parseInt(l);
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiProblem.of(400, "Invalid limit", "limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return limit;
    }

    /** The next page as an RFC 8288 link: this request's path and filters, with the next cursor. */
    private static String nextLink(Context ctx, String cursor) {
        StringBuilder query = new StringBuilder();
        ctx.queryParamMap().forEach((name, values) -> {
            if (name.equals("cursor")) return;
            for (String v : values) query.append(enc(name)).append('=').append(enc(v)).append('&');
        });
        query.append("cursor=").append(cursor);
        return "<" + ctx.path() + "?" + query + ">; rel=\"next\"";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Long.toString(seq).getBytes(StandardCharsets.UTF_8));
    }

    private static long decodeCursor(String cursor) {
        try {
            long seq = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (seq > 0) return seq;
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw ApiProblem.of(400, "Invalid cursor", "cursor must be a next_cursor value from an earlier page");
    }
}
