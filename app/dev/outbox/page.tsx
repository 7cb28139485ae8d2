import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Dev outbox", robots: { index: false } };
export const dynamic = "force-dynamic";

/**
 * The developer's inbox: mail and SMS kept in the outbox when no transport is configured. It does
 * not exist in production (404), where delivered bodies are cleared anyway.
 */
export default async function DevOutboxPage() {
  if (env().NODE_ENV === "production") notFound();
  const messages = await prisma.outboxMessage.findMany({ orderBy: { createdAt: "desc" }, take: 50 });
  return (
    <main id="main" className="mx-auto w-full max-w-3xl space-y-6 px-4 py-10">
      <h1 className="text-2xl font-bold">Dev outbox</h1>
      <p className="text-slate-700">The 50 newest mails and SMS. This page exists only outside production.</p>
      {messages.length === 0 ? <p className="text-slate-600">Nothing has been sent yet.</p> : null}
      <ol className="space-y-4">
        {messages.map((message) => (
          <li key={message.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <p className="text-sm text-slate-600">
              {message.channel === "EMAIL" ? "Mail" : "SMS"} to <strong className="text-slate-900">{message.to}</strong> ·{" "}
              {message.createdAt.toISOString()} · {message.status.toLowerCase()}
            </p>
            {message.subject ? <h2 className="mt-1 font-semibold">{message.subject}</h2> : null}
            <pre className="mt-2 whitespace-pre-wrap wrap-anywhere font-sans text-sm text-slate-800">{message.text || "(delivered; body cleared)"}</pre>
          </li>
        ))}
      </ol>
    </main>
  );
}
