-- CreateTable
CREATE TABLE "kt_prefix_nodes" (
    "depth" INTEGER NOT NULL,
    "prefix" BYTEA NOT NULL,
    "version" INTEGER NOT NULL,
    "node" BYTEA NOT NULL,

    CONSTRAINT "kt_prefix_nodes_pkey" PRIMARY KEY ("depth","prefix","version")
);

-- CreateTable
CREATE TABLE "kt_epochs" (
    "index" INTEGER NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "prefix_root" BYTEA NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "checkpoint" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kt_epochs_pkey" PRIMARY KEY ("index")
);

-- CreateTable
CREATE TABLE "kt_label_versions" (
    "label" BYTEA NOT NULL,
    "version" INTEGER NOT NULL,
    "search_key" BYTEA NOT NULL,
    "commitment" BYTEA NOT NULL,
    "value" BYTEA,
    "opening" BYTEA,
    "epoch" INTEGER NOT NULL,

    CONSTRAINT "kt_label_versions_pkey" PRIMARY KEY ("label","version")
);

-- CreateTable
CREATE TABLE "kt_pending_updates" (
    "label" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kt_pending_updates_pkey" PRIMARY KEY ("label")
);

-- CreateTable
CREATE TABLE "kt_cosignatures" (
    "epoch_size" INTEGER NOT NULL,
    "key_name" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kt_cosignatures_pkey" PRIMARY KEY ("epoch_size","key_name")
);

-- CreateIndex
CREATE INDEX "kt_label_versions_epoch_idx" ON "kt_label_versions"("epoch");
