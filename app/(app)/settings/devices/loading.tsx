import { LoadingCard } from "@/components/loading-card";

export default function DevicesLoading() {
  return <LoadingCard label="Loading devices" rows={3} rowHeight="h-16" />;
}
