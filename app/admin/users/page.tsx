import type { Metadata } from "next";
import { humanPhoneNumber } from "@/lib/format/phone";
import Link from "next/link";
import { StatusBadges } from "@/components/admin/status-badges";
import { Time } from "@/components/settings/time";
import { buttonClass } from "@/components/ui/button";
import { Field, inputClass, Select } from "@/components/ui/field";
import { searchUsers, MIN_SEARCH_LENGTH, USER_FILTERS, USER_SORTS, userListQuerySchema, type UserListQuery } from "@/lib/admin/users";
import { currentRequestContext, requireAdmin } from "@/lib/auth/current";

export const metadata: Metadata = { title: "Users" };

const FILTER_LABELS: Record<(typeof USER_FILTERS)[number], string> = {
  all: "Everyone",
  unverified: "Unverified",
  incomplete: "Profile incomplete",
  inactive: "Deactivated",
  admin: "Admins",
};
const SORT_LABELS: Record<(typeof USER_SORTS)[number], string> = {
  newest: "Newest first",
  oldest: "Oldest first",
  email: "Email A–Z",
  last_sign_in: "Recently signed in",
};

function pageHref(query: UserListQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.q) params.set("q", query.q);
  if (query.filter !== "all") params.set("filter", query.filter);
  if (query.sort !== "newest") params.set("sort", query.sort);
  if (page > 1) params.set("page", String(page));
  const search = params.toString();
  return `/admin/users${search ? `?${search}` : ""}`;
}

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const admin = await requireAdmin();
  const raw = await searchParams;
  const query = userListQuerySchema.parse(raw);
  const tooShort = typeof raw.q === "string" && raw.q.trim() !== "" && query.q === "";
  const { users, hasNextPage } = await searchUsers(admin.user.id, query, await currentRequestContext());

  return (
    <>
      <h1 className="text-2xl font-bold text-slate-900">Users</h1>
      <form method="get" action="/admin/users" role="search" aria-label="Find users" className="grid grid-cols-1 gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end">
        <div className="space-y-1">
          <label htmlFor="q" className="block text-sm font-medium text-slate-800">
            Email, phone, username or id
          </label>
          <input id="q" name="q" type="search" defaultValue={query.q} className={inputClass} aria-describedby="q-hint" autoComplete="off" />
          <p id="q-hint" className={`text-sm ${tooShort ? "font-medium text-red-700" : "text-slate-600"}`} role={tooShort ? "alert" : undefined}>
            {tooShort ? `Type at least ${MIN_SEARCH_LENGTH} characters to search.` : "Part of an address, number or name; a full id matches exactly."}
          </p>
        </div>
        <Field id="filter" label="Show">
          {() => (
            <Select id="filter" name="filter" defaultValue={query.filter}>
              {USER_FILTERS.map((filter) => (
                <option key={filter} value={filter}>
                  {FILTER_LABELS[filter]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field id="sort" label="Sort">
          {() => (
            <Select id="sort" name="sort" defaultValue={query.sort}>
              {USER_SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {SORT_LABELS[sort]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <button type="submit" className={buttonClass("primary")}>
          Search
        </button>
      </form>

      <section aria-labelledby="results" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="results" className="sr-only">
          Results
        </h2>
        {users.length === 0 ? (
          <p className="p-4 text-slate-700" role="status">
            No account matches.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[40rem] text-left text-sm">
              <caption className="sr-only">Accounts, page {query.page}</caption>
              <thead className="bg-slate-50 text-slate-700">
                <tr>
                  <th scope="col" className="px-4 py-2 font-semibold">Account</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Status</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Created</th>
                  <th scope="col" className="px-4 py-2 font-semibold">Last sign-in</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={user.id} className="border-t border-slate-100 align-top">
                    <td className="px-4 py-2">
                      <Link href={`/admin/users/${user.id}`} className="font-medium text-brand-700 underline">
                        {user.email ?? (user.phoneNumber && humanPhoneNumber(user.phoneNumber)) ?? user.id}
                      </Link>
                      <div className="text-slate-600">{[user.username && `@${user.username}`, user.email && user.phoneNumber && humanPhoneNumber(user.phoneNumber)].filter(Boolean).join(" · ")}</div>
                    </td>
                    <td className="px-4 py-2">
                      <StatusBadges user={user} />
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">
                      <Time value={user.createdAt} />
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">{user.lastLoginAt ? <Time value={user.lastLoginAt} /> : "Never"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <nav aria-label="Pages" className="flex items-center justify-between gap-3">
        {query.page > 1 ? (
          <Link href={pageHref(query, query.page - 1)} className={buttonClass("secondary")} rel="prev">
            Previous page
          </Link>
        ) : (
          <span />
        )}
        <span className="text-sm text-slate-700">Page {query.page}</span>
        {hasNextPage ? (
          <Link href={pageHref(query, query.page + 1)} className={buttonClass("secondary")} rel="next">
            Next page
          </Link>
        ) : (
          <span />
        )}
      </nav>
    </>
  );
}
