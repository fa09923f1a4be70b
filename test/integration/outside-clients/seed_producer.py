"""A producer as a migrating StokCerdas service written in Python would be: pika, the seed's
exchanges, the seed's event shapes. Publishes four events with publisher confirms and prints what
it sent (type, id, form) as one JSON line for the test to check against.

usage: seed_producer.py AMQP_URL PREFIX TENANT
"""
import json
import sys
import uuid
from datetime import datetime, timezone

import pika

url, prefix, tenant = sys.argv[1], sys.argv[2], sys.argv[3]
exchange = f"{prefix}.inventory.events"
now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")

product = {"id": "PROD-001", "sku": "BRS-5", "name": "Beras 5kg"}
location = {"id": "LOC-MKS", "name": "Gudang Makassar", "province": "ID-SN"}

sent = []


def publish(routing_key, body, content_type, form, event_id, properties=None):
    props = pika.BasicProperties(content_type=content_type, delivery_mode=2, **(properties or {}))
    channel.basic_publish(exchange, routing_key, json.dumps(body).encode("utf-8"), props, mandatory=True)
    sent.append({"form": form, "id": event_id, "type": routing_key})


connection = pika.BlockingConnection(pika.URLParameters(url))
channel = connection.channel()
channel.confirm_delivery()

# 1. a structured-mode CloudEvent whose data is the seed's StockLevelChangedEvent
ce_id = str(uuid.uuid4())
publish(
    "inventory.stock.level.changed",
    {
        "specversion": "1.0",
        "id": ce_id,
        "source": "urn:python:inventory-service",
        "type": "inventory.stock.level.changed",
        "time": now,
        "datacontenttype": "application/json",
        "tenantid": tenant,
        "userid": "user-456",
        "correlationid": "corr-python-ce",
        "data": {
            "productData": product,
            "locationData": location,
            "stockMovement": {"type": "sale", "quantity": -3},
            "stockLevel": {"previous": 15, "current": 12},
        },
    },
    "application/cloudevents+json",
    "cloudevent",
    ce_id,
)

# 2. the seed's serialised event: base fields at the top, domain parts beside them
seed_id = str(uuid.uuid4())
publish(
    "inventory.stock.level.changed",
    {
        "eventId": seed_id,
        "eventType": "inventory.stock.level.changed",
        "timestamp": now,
        "tenantId": tenant,
        "userId": "user-456",
        "correlationId": "corr-python-seed",
        "productData": product,
        "locationData": location,
        "stockMovement": {"type": "in", "quantity": 20},
        "stockLevel": {"previous": 12, "current": 32},
    },
    "application/json",
    "seed-serialised",
    seed_id,
)

# 3. the flat payload accepted before the seed shapes (version 1), id in the AMQP properties
flat_id = str(uuid.uuid4())
publish(
    "inventory.stock.level.changed",
    {"productId": "PROD-001", "locationId": "LOC-MKS", "locationData": {"province": "ID-SN"}, "previousLevel": 32, "newLevel": 30, "quantityChanged": -2, "tenantId": tenant},
    "application/json",
    "flat-v1",
    flat_id,
    {"message_id": flat_id},
)

# 4. the seed's direct-broker message (MessageBrokerService.publishMessage, stock_update)
update_id = str(uuid.uuid4())
publish(
    "inventory.stock.update",
    {"productId": "PROD-001", "newStock": 100, "locationId": "LOC-MKS"},
    "application/json",
    "direct-message",
    update_id,
    {"message_id": update_id, "type": "stock_update"},
)

connection.close()
print(json.dumps(sent))
