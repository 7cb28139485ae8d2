import { LoadingCard } from "@/components/loading-card";

export default function SecurityActivityLoading() {
  return <LoadingCard label="Loading security activity" rows={6} />;
}
