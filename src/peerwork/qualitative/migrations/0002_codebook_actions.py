# Codebook changes (rename, move, delete of codes and groups) join the coding log.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('qualitative', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='codingaction',
            name='kind',
            field=models.CharField(choices=[('mark', 'Marked a meaning unit'), ('code', 'Added a code'), ('uncode', 'Removed a code'), ('delete', 'Deleted a meaning unit'), ('code_rename', 'Renamed a code'), ('code_move', 'Moved a code'), ('code_delete', 'Deleted a code'), ('group_rename', 'Renamed a code group'), ('group_move', 'Moved a code group'), ('group_delete', 'Deleted a code group')], max_length=20),
        ),
    ]
